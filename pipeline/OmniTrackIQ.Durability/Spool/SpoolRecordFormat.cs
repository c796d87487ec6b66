using System.Buffers.Binary;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Framing of one spool record, little-endian:
/// <c>[u32 magic][u32 length][u32 crc32c(payload)][u32 crc32c(the 12 bytes before)][payload]</c>.
/// The magic and the header's own CRC let a reader that met a damaged record find the next good one
/// (resynchronise) instead of giving up on the rest of the segment: a candidate counts only when its magic, its
/// header CRC and its payload CRC all match. The magic holds bytes that never occur in UTF-8 (payloads are JSON),
/// so a payload cannot pass for a header. Segments written before the magic existed (<c>[u32 length][u32 crc][payload]</c>)
/// are still read, without resynchronisation (<see cref="SpoolReader.IsLegacy(string)"/>).
/// </summary>
public static class SpoolRecordFormat
{
    public const int HeaderSize = 16;
    public const int LegacyHeaderSize = 8;
    /// <summary>No record is larger than a whole body plus enrichment; anything bigger is corruption.</summary>
    public const int MaxPayloadSize = 16 * 1024 * 1024;

    /// <summary><c>F5 'O' 'T' 'Q'</c>: 0xF5 never appears in UTF-8, and read as a legacy length it is far above <see cref="MaxPayloadSize"/>.</summary>
    public static ReadOnlySpan<byte> Magic => [0xF5, (byte)'O', (byte)'T', (byte)'Q'];

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32C.Compute(header[..12]));
    }

    /// <summary>Reads a header; false when its magic or its own CRC does not match, or its length cannot be a record.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int length, out uint payloadCrc)
    {
        length = 0;
        payloadCrc = 0;
        if (header.Length < HeaderSize || !header.StartsWith(Magic)) { return false; }
        if (Crc32C.Compute(header[..12]) != BinaryPrimitives.ReadUInt32LittleEndian(header[12..])) { return false; }

        var raw = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        length = (int)Math.Min(raw, int.MaxValue);
        return raw is > 0 and <= MaxPayloadSize;
    }

    /// <summary>Reads a header of the format before the magic (<c>[u32 length][u32 crc32c(payload)]</c>).</summary>
    public static bool TryReadLegacyHeader(ReadOnlySpan<byte> header, out int length, out uint payloadCrc)
    {
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(header);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        length = (int)Math.Min(raw, int.MaxValue);
        return raw is > 0 and <= MaxPayloadSize;
    }
}
