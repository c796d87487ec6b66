using System.Buffers.Binary;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Framing of one spool record: <c>[u32 length][u32 crc32c(payload)][payload]</c>, little-endian.
/// A record whose header or payload is incomplete, or whose CRC does not match, is a torn write.
/// </summary>
public static class SpoolRecordFormat
{
    public const int HeaderSize = 8;
    /// <summary>No record is larger than a whole body plus enrichment; anything bigger is corruption.</summary>
    public const int MaxPayloadSize = 16 * 1024 * 1024;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32C.Compute(payload));
    }

    /// <summary>Reads a header; false when it cannot describe a valid record.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int length, out uint crc)
    {
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(header);
        crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        length = (int)Math.Min(raw, int.MaxValue);
        return raw is > 0 and <= MaxPayloadSize;
    }
}
