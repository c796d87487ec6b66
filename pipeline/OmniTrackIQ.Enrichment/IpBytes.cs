using System.Net;

namespace OmniTrackIQ.Enrichment;

/// <summary>Allocation-free views of an <see cref="IPAddress"/> shared by the geo and privacy enrichers.</summary>
internal static class IpBytes
{
    /// <summary>
    /// Writes the address bytes into <paramref name="destination"/> (at least 16 bytes) and returns
    /// their count: 4 for IPv4 and IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack socket reports
    /// for IPv4 clients), 16 for other IPv6.
    /// </summary>
    public static int Write(IPAddress address, Span<byte> destination)
    {
        if (!address.TryWriteBytes(destination, out var written))
        {
            return 0;
        }

        if (written == 16 && address.IsIPv4MappedToIPv6)
        {
            destination.Slice(12, 4).CopyTo(destination);
            return 4;
        }

        return written;
    }

    /// <summary>
    /// True for addresses a public geo database can know: false for private, loopback, link-local,
    /// carrier-grade NAT, multicast and unspecified ranges, which are skipped without a lookup.
    /// </summary>
    public static bool IsPublic(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 4)
        {
            byte a = bytes[0], b = bytes[1];
            return a switch
            {
                0 or 10 or 127 => false,
                100 => (b & 0xC0) != 64,     // 100.64.0.0/10 carrier-grade NAT
                169 => b != 254,             // link-local
                172 => (b & 0xF0) != 16,     // 172.16.0.0/12
                192 => b != 168,             // 192.168.0.0/16
                >= 224 => false,             // multicast and reserved
                _ => true,
            };
        }

        if (bytes.Length != 16)
        {
            return false;
        }

        var first = bytes[0];
        if ((first & 0xFE) == 0xFC || first == 0xFF)
        {
            return false;                    // fc00::/7 unique local, ff00::/8 multicast
        }

        if (first == 0xFE && (bytes[1] & 0xC0) == 0x80)
        {
            return false;                    // fe80::/10 link-local
        }

        // :: and ::1 (any other all-zero-prefix address is IPv4-compatible and left to the database).
        return bytes[..15].IndexOfAnyExcept((byte)0) >= 0 || bytes[15] > 1;
    }
}
