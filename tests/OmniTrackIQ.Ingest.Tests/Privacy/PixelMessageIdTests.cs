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
}
