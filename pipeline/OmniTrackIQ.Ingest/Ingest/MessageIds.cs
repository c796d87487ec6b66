using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
        return WithPrefix(hash[..16]);
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
        ArgumentNullException.ThrowIfNull(query);
        var slot = receivedAt.ToUnixTimeSeconds() / (30 * 60);
        // The UTF-8 of "{query}\n{userAgent}\n{client}\n{slot}", written into one pooled buffer (no text or byte array per hit).
        var utf8 = Encoding.UTF8;
        var buffer = ArrayPool<byte>.Shared.Rent(utf8.GetMaxByteCount(query.Length) + utf8.GetMaxByteCount(userAgent?.Length ?? 0) + MaxAddressAndSlotBytes);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            var text = buffer.AsSpan();
            var length = utf8.GetBytes(query, text);
            text[length++] = (byte)'\n';
            length += utf8.GetBytes(userAgent ?? "", text[length..]);
            text[length++] = (byte)'\n';
            if (client is not null)
            {
                _ = client.TryFormat(text[length..], out var written);
                length += written;
            }

            text[length++] = (byte)'\n';
            _ = slot.TryFormat(text[length..], out var slotBytes, default, CultureInfo.InvariantCulture);
            HMACSHA256.HashData(key, text[..(length + slotBytes)], hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return WithPrefix(hash[..16]);
    }

    /// <summary>The longest IPv6 text (with a scope id) and a slot number, plus the three separators, with room to spare.</summary>
    private const int MaxAddressAndSlotBytes = 128;

    /// <summary><c>otq-</c> and <paramref name="digest"/> as lowercase hex, made as one string.</summary>
    private static string WithPrefix(ReadOnlySpan<byte> digest)
    {
        Span<char> id = stackalloc char[Prefix.Length + (digest.Length * 2)];
        Prefix.CopyTo(id);
        _ = Convert.TryToHexStringLower(digest, id[Prefix.Length..], out _);
        return new string(id);
    }

    private const string Prefix = "otq-";
}
