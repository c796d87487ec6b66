using System.Net;
using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests.Privacy;

/// <summary>Issue 15: a derived pixel id must not let the stored /24 plus 256 guesses give the visitor's address back.</summary>
public sealed class PixelMessageIdTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private const string Query = "?wk=wk_test&aid=a1&url=https%3A%2F%2Fshop.example%2F";
    private const string Browser = "Mozilla/5.0";

    private static string Id(byte[] key, string address) => MessageIds.ForPixel(key, Query, Browser, IPAddress.Parse(address), At);

    [Fact]
    public void The_same_hit_with_the_same_key_has_the_same_id_so_a_retry_dedups() =>
        Assert.Equal(Id(Key, "203.0.113.77"), Id(Key, "203.0.113.77"));

    [Fact]
    public void The_id_is_the_keyed_hash_of_the_hit()
    {
        var slot = At.ToUnixTimeSeconds() / 1800;
        var expected = "otq-" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{Query}\n{Browser}\n203.0.113.77\n{slot}"))[..16]);
        Assert.Equal(expected, Id(Key, "203.0.113.77"));
    }

    [Fact]
    public void Without_the_key_none_of_the_256_addresses_of_the_stored_network_reproduces_the_id()
    {
        var stored = Id(Key, "203.0.113.77");
        var slot = At.ToUnixTimeSeconds() / 1800;
        for (var host = 0; host < 256; host++)
        {
            // The unkeyed derivation the collector used before: SHA-256 of the same text.
            var guess = "otq-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Query}\n{Browser}\n203.0.113.{host}\n{slot}"))[..16]);
            Assert.NotEqual(stored, guess);
        }

        Assert.NotEqual(stored, Id(new byte[32], "203.0.113.77"));
    }

    /// <summary>Issue 16: the text is written as UTF-8 into a pooled buffer, not built as a string; the hashed bytes stay the same.</summary>
    [Theory]
    [InlineData("?wk=wk_test&aid=a1", Browser, "2001:db8::1")]
    [InlineData("?wk=wk_test&aid=a1", Browser, "fe80::1%3")]
    [InlineData("?wk=wk_test&aid=a1", Browser, "::ffff:203.0.113.77")]
    [InlineData("?wk=wk_test&aid=a1", null, "203.0.113.77")]
    [InlineData("?wk=wk_test&aid=a1", Browser, null)]
    [InlineData("", null, null)]
    [InlineData("?wk=wk_test&aid=caf\u00e9&title=\ud83d\ude00&bad=\ud800x", "Mozilla/5.0 (\u00fc\udc00)", "203.0.113.77")]
    public void The_hashed_text_is_the_query_the_browser_the_address_and_the_slot_on_lines(string query, string? userAgent, string? address)
    {
        var client = address is null ? null : IPAddress.Parse(address);
        var slot = At.ToUnixTimeSeconds() / 1800;
        var expected = "otq-" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{query}\n{userAgent}\n{client}\n{slot}"))[..16]);

        Assert.Equal(expected, MessageIds.ForPixel(Key, query, userAgent, client, At));
    }

    [Fact]
    public void A_derived_batch_id_is_the_prefixed_hex_of_the_SHA256()
    {
        var content = Encoding.UTF8.GetBytes("{\"type\":\"page\",\"anonymousId\":\"a1\"}");

        Assert.Equal("otq-" + Convert.ToHexStringLower(SHA256.HashData(content)[..16]), MessageIds.Derive(content));
    }
}
