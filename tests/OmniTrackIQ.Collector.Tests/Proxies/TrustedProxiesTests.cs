using System.Net;
using OmniTrackIQ.Collector.Proxies;

namespace OmniTrackIQ.Collector.Tests.Proxies;

public sealed class TrustedProxiesTests
{
    private static TrustedProxies Parse(params string[] values) =>
        TrustedProxies.Parse(values.Select((v, i) => ($"{TrustedProxies.ConfigKey}:{i}", (string?)v)));

    [Fact]
    public void Addresses_and_ranges_are_trusted_and_nothing_else_is()
    {
        var trusted = Parse("10.0.0.5", "10.1.0.0/16", "::1", "2001:db8::/32");

        Assert.True(trusted.Contains(IPAddress.Parse("10.0.0.5")));
        Assert.True(trusted.Contains(IPAddress.Parse("::ffff:10.0.0.5")));
        Assert.True(trusted.Contains(IPAddress.Parse("10.1.255.255")));
        Assert.True(trusted.Contains(IPAddress.Parse("::1")));
        Assert.True(trusted.Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.False(trusted.Contains(IPAddress.Parse("10.0.0.6")));
        Assert.False(trusted.Contains(IPAddress.Parse("10.2.0.0")));
        Assert.False(trusted.Contains(IPAddress.Parse("127.0.0.1")));
        Assert.False(trusted.Contains(IPAddress.Parse("2001:db9::1")));
    }

    [Fact]
    public void Nothing_configured_trusts_no_one_not_even_loopback()
    {
        var trusted = Parse();

        Assert.True(trusted.IsEmpty);
        Assert.False(trusted.Contains(IPAddress.Loopback));
        Assert.False(trusted.Contains(IPAddress.IPv6Loopback));
    }

    [Theory]
    [InlineData("10.0.0.300", "is not an IP address")]
    [InlineData("10.1", "is not an IP address")]
    [InlineData("proxy.internal", "is not an IP address")]
    [InlineData("", "is not an IP address")]
    [InlineData("10.1.0.5/16", "is not a CIDR range")]
    [InlineData("10.1.0.0/33", "is not a CIDR range")]
    [InlineData("10.1/16", "is not a CIDR range")]
    public void A_bad_entry_is_refused_naming_its_key_and_value(string value, string problem)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parse("10.0.0.5", value));

        Assert.StartsWith($"OmniTrack:Ingest:TrustedProxies:1: '{value}' {problem}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_entry_stops_the_collector_from_starting()
    {
        using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Ingest:TrustedProxies:0"] = "10.0.0.0/8";
        factory.Settings["OmniTrack:Ingest:TrustedProxies:1"] = "10.0.0.256";

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Equal("OmniTrack:Ingest:TrustedProxies:1: '10.0.0.256' is not an IP address (10.0.0.5, ::1) or a CIDR range (10.1.0.0/16)", error.Message);
    }
}
