using System.Security.Cryptography;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Ids for events that came without one (Segment's API makes <c>messageId</c> optional, a noscript pixel
/// cannot make one). The id is a hash of what the client sent, so a retry of the same bytes gets the same id
/// and is stored once; two events that differ in anything (a timestamp, a property) get different ids.
/// Two truly identical events without ids and timestamps are one event: send either to keep both.
/// </summary>
public static class MessageIds
{
    /// <summary><c>otq-</c> and the first 128 bits of the SHA-256 of <paramref name="content"/>, as hex.</summary>
    public static string Derive(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return "otq-" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>
    /// A pixel request without <c>mid</c>: the keyed hash (HMAC-SHA256 with <paramref name="key"/>, a per-installation
    /// secret) of its query string, the browser (user agent and address) and the 30-minute slot it arrived in. A browser
    /// retrying the image, or a reload, inside that slot is one event; the same page seen again later is another. A slot
    /// is the visit rule's 30 minutes, so a duplicate that crosses a slot boundary still falls in one visit and never
    /// makes a second touch. Keyed, because the address is stored only anonymised: an unkeyed hash of it could be
    /// tested against the 256 addresses of the stored /24.
    /// </summary>
    public static string ForPixel(ReadOnlySpan<byte> key, string query, string? userAgent, System.Net.IPAddress? client, DateTimeOffset receivedAt)
    {
        var slot = receivedAt.ToUnixTimeSeconds() / (30 * 60);
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{query}\n{userAgent}\n{client}\n{slot}");
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(text), hash);
        return "otq-" + Convert.ToHexStringLower(hash[..16]);
    }
}
