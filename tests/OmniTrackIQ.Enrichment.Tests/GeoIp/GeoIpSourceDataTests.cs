using OmniTrackIQ.Enrichment.GeoIp;

namespace OmniTrackIQ.Enrichment.Tests.GeoIp;

/// <summary>
/// Every network of MaxMind's City test databases, checked against the JSON they were built from:
/// first and last address of the network and the addresses just outside it, IPv4 and IPv6.
/// </summary>
public sealed class GeoIpSourceDataTests
{
    public static TheoryData<string, int> Networks()
    {
        var data = new TheoryData<string, int>();
        foreach (var database in new[] { "GeoIP2-City-Test", "GeoLite2-City-Test" })
        {
            var count = SourceNetwork.Load(TestData.GeoIp(database + ".source.json")).Count;
            for (var i = 0; i < count; i++)
            {
                data.Add(database, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void Lookup_returns_the_source_values_at_the_edges_of_each_network(string database, int index)
    {
        var networks = SourceNetwork.Load(TestData.GeoIp(database + ".source.json"));
        var network = networks[index];
        using var geo = GeoIpTestHost.Open(TestData.GeoIp(database + ".mmdb"));

        var probes = new List<UInt128> { network.First, network.Last };
        if (network.First > UInt128.Zero)
        {
            probes.Add(network.First - 1);
        }

        if (network.Last < UInt128.MaxValue)
        {
            probes.Add(network.Last + 1);
        }

        // Outside addresses first, inside last: a wrong cache entry from a neighbour would show.
        probes.Reverse();
        foreach (var probe in probes)
        {
            var address = SourceNetwork.ToAddress(probe);
            var expected = SourceNetwork.Containing(networks, probe);
            var actual = geo.Lookup(address);
            Assert.True(
                expected?.Country == actual.Country && expected?.Region == actual.Region && expected?.City == actual.City,
                $"{address}: expected {expected?.Country}/{expected?.Region}/{expected?.City}, got {actual.Country}/{actual.Region}/{actual.City}");
        }
    }

    [Theory]
    [InlineData("81.2.69.160", "GB", "ENG", "London")]
    [InlineData("::ffff:81.2.69.160", "GB", "ENG", "London")]
    [InlineData("2001:218::1", "JP", null, null)]
    [InlineData("89.160.20.128", "SE", "E", "Linköping")]
    public void Known_addresses_resolve_in_both_families(string ip, string country, string? region, string? city)
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoIP2-City-Test.mmdb"));
        var location = geo.Lookup(System.Net.IPAddress.Parse(ip));
        Assert.Equal((country, region, city), (location.Country, location.Region, location.City));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("1.1.1.1")]
    public void Private_and_unknown_addresses_have_no_geo(string ip)
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoIP2-City-Test.mmdb"));
        Assert.Same(GeoLocation.Empty, geo.Lookup(System.Net.IPAddress.Parse(ip)));
    }

    [Fact]
    public void A_lookup_in_a_network_wider_than_24_bits_is_served_from_the_cache()
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoLite2-City-Test.mmdb"));
        // 175.16.199.0/24 is one network: the second address of the /24 gets the cached instance.
        var first = geo.Lookup(System.Net.IPAddress.Parse("175.16.199.1"));
        var second = geo.Lookup(System.Net.IPAddress.Parse("175.16.199.200"));
        Assert.Equal("Changchun", first.City);
        Assert.Same(first, second);
    }

    [Fact]
    public void A_lookup_in_a_network_narrower_than_24_bits_is_not_shared_with_its_neighbours()
    {
        using var geo = GeoIpTestHost.Open(TestData.GeoIp("GeoLite2-City-Test.mmdb"));
        var first = geo.Lookup(System.Net.IPAddress.Parse("81.2.69.160"));
        var second = geo.Lookup(System.Net.IPAddress.Parse("81.2.69.161"));
        Assert.Equal("London", second.City);
        Assert.NotSame(first, second);
    }
}
