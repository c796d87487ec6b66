using System.Net;

namespace OmniTrackIQ.Enrichment.Tests.GeoIp;

/// <summary>Values from MaxMind's GeoLite2-ASN-Test source data (source-data/GeoLite2-ASN-Test.json).</summary>
public sealed class GeoIpAsnTests
{
    [Theory]
    [InlineData("1.128.0.0", 1221u, "Telstra Pty Ltd")]       // first of 1.128.0.0/11
    [InlineData("1.159.255.255", 1221u, "Telstra Pty Ltd")]   // last of 1.128.0.0/11
    [InlineData("44.0.0.1", 7377u, "University of California at San Diego")]
    [InlineData("15.255.255.255", 71u, "Hewlett-Packard Company")]
    [InlineData("38.108.80.30", 174u, "Cogent Communications")]
    public void Asn_database_fills_number_and_organisation(string ip, uint asn, string? organisation)
    {
        using var geo = GeoIpTestHost.Open(cityPath: null, asnPath: TestData.GeoIp("GeoLite2-ASN-Test.mmdb"));
        var location = geo.Lookup(IPAddress.Parse(ip));
        Assert.Equal((asn, organisation), (location.Asn, location.AsnOrganization));
        Assert.Null(location.Country);
    }

    [Fact]
    public void City_and_asn_databases_combine()
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoIP2-City-Test.mmdb"), TestData.GeoIp("GeoLite2-ASN-Test.mmdb"));
        var london = geo.Lookup(IPAddress.Parse("81.2.69.160"));
        Assert.Equal(("GB", (uint?)null), (london.Country, london.Asn));
        var telstra = geo.Lookup(IPAddress.Parse("1.128.0.1"));
        Assert.Equal(((string?)null, (uint?)1221), (telstra.Country, telstra.Asn));
    }
}
