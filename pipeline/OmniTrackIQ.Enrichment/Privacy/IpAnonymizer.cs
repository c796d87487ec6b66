using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace OmniTrackIQ.Enrichment.Privacy;

/// <summary>
/// Zeroes the host part of a client address and formats what is left, allocating only the result
/// string. IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated, and written, as IPv4. IPv6 is written in the
/// RFC 5952 canonical form that <see cref="IPAddress.ToString"/> also produces (lower-case hex, the
/// longest run of two or more zero groups shortened to "::"), minus the scope id.
/// </summary>
internal static class IpAnonymizer
{
    public static string? Anonymize(IPAddress? address, int ipV4PrefixLength, int ipV6PrefixLength)
    {
        if (address is null)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        var length = IpBytes.Write(address, bytes);
        if (length is not (4 or 16))
        {
            return null;
        }

        var prefix = length == 4 ? Math.Clamp(ipV4PrefixLength, 0, 32) : Math.Clamp(ipV6PrefixLength, 0, 128);
        Mask(bytes[..length], prefix);

        // Every event of a batch comes from one address: the text of the last masked address this thread made is
        // handed out again for the same bytes (a string is immutable), not formatted and allocated per event.
        var last = t_last ??= new LastAddress();
        if (last.Text is not null && last.Length == length && bytes[..length].SequenceEqual(last.Bytes.AsSpan(0, length)))
        {
            return last.Text;
        }

        Span<char> text = stackalloc char[48];
        var written = length == 4 ? FormatV4(bytes, text) : FormatV6(bytes, text);
        var result = new string(text[..written]);
        bytes[..length].CopyTo(last.Bytes);
        last.Length = length;
        last.Text = result;
        return result;
    }

    [ThreadStatic]
    private static LastAddress? t_last;

    /// <summary>The masked bytes of the last address a thread formatted, and their text.</summary>
    private sealed class LastAddress
    {
        public byte[] Bytes { get; } = new byte[16];
        public int Length { get; set; }
        public string? Text { get; set; }
    }

    internal static void Mask(Span<byte> bytes, int prefixLength)
    {
        var fullBytes = prefixLength / 8;
        var remainder = prefixLength % 8;
        if (remainder != 0)
        {
            bytes[fullBytes] &= (byte)(0xFF << (8 - remainder));
            fullBytes++;
        }

        bytes[fullBytes..].Clear();
    }

    private static int FormatV4(ReadOnlySpan<byte> bytes, Span<char> text)
    {
        var pos = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                text[pos++] = '.';
            }

            bytes[i].TryFormat(text[pos..], out var n, default, CultureInfo.InvariantCulture);
            pos += n;
        }

        return pos;
    }

    private static int FormatV6(ReadOnlySpan<byte> bytes, Span<char> text)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(i * 2)..]);
        }

        // Longest run of zero groups (first one on a tie); RFC 5952 shortens it only when >= 2 long.
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }

        if (bestLength < 2)
        {
            bestStart = -1;
        }

        var pos = 0;
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text[pos++] = ':';
                text[pos++] = ':';
                i += bestLength - 1;
                continue;
            }

            if (i > 0 && i != bestStart + bestLength)
            {
                text[pos++] = ':';
            }

            groups[i].TryFormat(text[pos..], out var n, "x", CultureInfo.InvariantCulture);
            pos += n;
        }

        return pos;
    }
}
