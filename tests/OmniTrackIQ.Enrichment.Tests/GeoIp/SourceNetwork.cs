using System.Net;
using System.Numerics;
using System.Text.Json;

namespace OmniTrackIQ.Enrichment.Tests.GeoIp;

/// <summary>One network of a MaxMind *.source.json file and the values a lookup in it must return.</summary>
internal sealed record SourceNetwork(UInt128 First, UInt128 Last, int Prefix, string? Country, string? Region, string? City)
{
    // IPv4 lives in ::/96 of an IPv6 database, so both families share one 128-bit number line.
    public static UInt128 ToNumber(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }

        return new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    /// <summary>IPv4 for numbers in ::/96 (how clients show up), IPv6 otherwise.</summary>
    public static IPAddress ToAddress(UInt128 number)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)(number >> 64));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], (ulong)number);
        return number <= uint.MaxValue ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }

    public static IReadOnlyList<SourceNetwork> Load(string sourceJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(sourceJson));
        var networks = new List<SourceNetwork>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            foreach (var property in entry.EnumerateObject())
            {
                networks.Add(Parse(property.Name, property.Value));
            }
        }

        return networks;
    }

    /// <summary>The most specific network containing the number: what the database answers.</summary>
    public static SourceNetwork? Containing(IReadOnlyList<SourceNetwork> networks, UInt128 number)
    {
        SourceNetwork? best = null;
        foreach (var network in networks)
        {
            if (number >= network.First && number <= network.Last && (best is null || network.Prefix > best.Prefix))
            {
                best = network;
            }
        }

        return best;
    }

    private static SourceNetwork Parse(string cidr, JsonElement record)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(cidr[..slash]);
        var prefix = int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            prefix += 96;
        }

        var hostMask = prefix == 128 ? UInt128.Zero : UInt128.MaxValue >> prefix;
        var first = ToNumber(address) & ~hostMask; // some source keys have host bits set
        return new SourceNetwork(first, first | hostMask, prefix,
            Text(record, "country", "iso_code"),
            Subdivision(record),
            Text(record, "city", "names", "en"));
    }

    private static string? Subdivision(JsonElement record)
    {
        if (!record.TryGetProperty("subdivisions", out var list) || list.GetArrayLength() == 0)
        {
            return null;
        }

        var first = list[0];
        return Text(first, "iso_code") ?? Text(first, "names", "en");
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.GetString();
    }
}
