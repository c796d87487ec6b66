using System.IO.Hashing;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF), the checksum of every
/// spool record and checkpoint. System.IO.Hashing computes it (vectorised where the CPU allows); the value is the one
/// the spool has always written, so existing segments still read (<c>Crc32CTests</c> holds a record header written
/// before the switch).
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
