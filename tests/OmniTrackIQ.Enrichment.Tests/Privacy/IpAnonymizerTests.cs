using System.Net;
using OmniTrackIQ.Enrichment.Privacy;

namespace OmniTrackIQ.Enrichment.Tests.Privacy;

public sealed class IpAnonymizerTests
{
    [Theory]
    [InlineData("203.0.113.77", 24, 48, "203.0.113.0")]
    [InlineData("203.0.113.77", 16, 48, "203.0.0.0")]
    [InlineData("203.0.113.77", 20, 48, "203.0.112.0")]
    [InlineData("203.0.113.77", 32, 48, "203.0.113.77")]
    [InlineData("203.0.113.77", 0, 48, "0.0.0.0")]
    [InlineData("203.0.113.77", 99, 48, "203.0.113.77")]   // out-of-range prefixes are clamped
    [InlineData("203.0.113.77", -5, 48, "0.0.0.0")]
    [InlineData("::ffff:203.0.113.77", 24, 48, "203.0.113.0")] // IPv4-mapped is IPv4
    [InlineData("2001:db8:abcd:1234:5678:9abc:def0:1234", 24, 48, "2001:db8:abcd::")]
    [InlineData("2001:db8:abcd:1234:5678:9abc:def0:1234", 24, 56, "2001:db8:abcd:1200::")]
    [InlineData("2001:db8:abcd:1234:5678:9abc:def0:1234", 24, 128, "2001:db8:abcd:1234:5678:9abc:def0:1234")]
    [InlineData("2001:db8:0:0:1:0:0:1", 24, 128, "2001:db8::1:0:0:1")]  // RFC 5952: first of equal runs
    [InlineData("2001:0:0:1::", 24, 128, "2001:0:0:1::")]            // longest run wins
    [InlineData("2001:db8:1:2:3:4:0:5", 24, 128, "2001:db8:1:2:3:4:0:5")] // a single zero group stays
    [InlineData("fe80::1%3", 24, 128, "fe80::1")]                      // scope id dropped
    [InlineData("::1", 24, 48, "::")]
    public void Keeps_the_configured_prefix(string ip, int v4, int v6, string expected) =>
        Assert.Equal(expected, IpAnonymizer.Anonymize(IPAddress.Parse(ip), v4, v6));

    /// <summary>
    /// The text of the last masked address is handed out again (a batch's events share one sender): only for the same
    /// masked bytes, never for the address before it, another prefix or the other family.
    /// </summary>
    [Fact]
    public void Each_address_gets_its_own_text_and_a_repeat_gets_the_same_string()
    {
        var first = IpAnonymizer.Anonymize(IPAddress.Parse("203.0.113.77"), 24, 48);
        Assert.Same(first, IpAnonymizer.Anonymize(IPAddress.Parse("203.0.113.200"), 24, 48));
        Assert.Equal("203.0.113.77", IpAnonymizer.Anonymize(IPAddress.Parse("203.0.113.77"), 32, 48));
        Assert.Equal("203.0.114.0", IpAnonymizer.Anonymize(IPAddress.Parse("203.0.114.77"), 24, 48));
        Assert.Equal("cb00:7100::", IpAnonymizer.Anonymize(IPAddress.Parse("cb00:7100::1"), 24, 32));
        Assert.Equal("203.0.113.0", IpAnonymizer.Anonymize(IPAddress.Parse("203.0.113.1"), 24, 48));
        Assert.Equal("203.0.113.0", first);
    }

    [Fact]
    public void Null_address_gives_null() => Assert.Null(IpAnonymizer.Anonymize(null, 24, 48));

    [Fact]
    public void Ipv6_text_matches_the_framework_formatter_for_random_addresses()
    {
        var random = new Random(20261123);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 5000; i++)
        {
            random.NextBytes(bytes);
            // Sprinkle zero groups so that "::" compression is exercised.
            for (var g = 0; g < 8; g++)
            {
                if (random.Next(3) == 0)
                {
                    bytes[g * 2] = 0;
                    bytes[(g * 2) + 1] = 0;
                }
            }

            bytes[0] |= 0x20; // stay out of ::/96 and ::ffff:0:0/96, which the framework prints as IPv4
            var address = new IPAddress(bytes);
            Assert.Equal(address.ToString(), IpAnonymizer.Anonymize(address, 32, 128));
        }
    }
}
