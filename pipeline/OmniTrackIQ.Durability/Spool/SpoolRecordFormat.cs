using System.Buffers.Binary;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Framing of one spool record, little-endian:
/// <c>[F5 'O' 'T' kind][u32 length][u32 crc32c(payload)][u32 crc32c(the 12 bytes before)][payload]</c>.
/// The kind byte says how the payload is encoded (<see cref="SpoolRecordKind"/>: binary since session 8, JSON before),
/// so a reader decodes either and one segment may hold both. The magic and the header's own CRC let a reader that met
/// a damaged record find the next good one (resynchronise) instead of giving up on the rest of the segment: a
/// candidate counts only when its magic (with a known kind), its header CRC and its payload CRC all match. 0xF5 never
/// occurs in UTF-8 text, and a binary payload holds other bytes only in fixed-width numbers (times, decimals, lengths):
/// a payload passes for a record only if it also carries a matching header CRC and a whole record with a matching
/// payload CRC after it. Segments written before the magic existed (<c>[u32 length][u32 crc][payload]</c>, JSON) are still
/// read, without resynchronisation (<see cref="SpoolReader.IsLegacy(string)"/>).
/// </summary>
public static class SpoolRecordFormat
{
    public const int HeaderSize = 16;
    public const int LegacyHeaderSize = 8;
    /// <summary>No record is larger than a whole body plus enrichment; anything bigger is corruption.</summary>
    public const int MaxPayloadSize = 16 * 1024 * 1024;

    /// <summary>
    /// <c>F5 'O' 'T'</c>, then the kind: 0xF5 never appears in UTF-8, and with either kind byte, read as a legacy length,
    /// the magic is far above <see cref="MaxPayloadSize"/>.
    /// </summary>
    public static ReadOnlySpan<byte> MagicPrefix => [0xF5, (byte)'O', (byte)'T'];

    /// <summary>Frames a binary record (<see cref="SpoolRecordKind.Binary"/>): the only kind this version writes.</summary>
    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload)
    {
        MagicPrefix.CopyTo(header);
        header[3] = (byte)SpoolRecordKind.Binary;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32C.Compute(header[..12]));
    }

    /// <summary>Whether the bytes start with the magic of a record kind this version reads.</summary>
    public static bool StartsWithMagic(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && bytes.StartsWith(MagicPrefix) && bytes[3] is (byte)SpoolRecordKind.Binary or (byte)SpoolRecordKind.Json;

    /// <summary>Reads a header; false when its magic (with a known kind) or its own CRC does not match, or its length cannot be a record.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int length, out uint payloadCrc, out SpoolRecordKind kind)
    {
        length = 0;
        payloadCrc = 0;
        kind = default;
        if (header.Length < HeaderSize || !StartsWithMagic(header)) { return false; }
        if (Crc32C.Compute(header[..12]) != BinaryPrimitives.ReadUInt32LittleEndian(header[12..])) { return false; }

        var raw = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        length = (int)Math.Min(raw, int.MaxValue);
        kind = (SpoolRecordKind)header[3];
        return raw is > 0 and <= MaxPayloadSize;
    }

    /// <summary>Reads a header of the format before the magic (<c>[u32 length][u32 crc32c(payload)]</c>); its payloads are JSON.</summary>
    public static bool TryReadLegacyHeader(ReadOnlySpan<byte> header, out int length, out uint payloadCrc)
    {
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(header);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        length = (int)Math.Min(raw, int.MaxValue);
        return raw is > 0 and <= MaxPayloadSize;
    }
}
