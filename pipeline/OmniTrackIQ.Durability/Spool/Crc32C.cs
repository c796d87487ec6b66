using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every spool record. Uses the SSE4.2 crc32 instruction
/// where available (x64 servers), a table otherwise; both give identical values.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli
    private static readonly uint[] s_table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        if (Sse42.X64.IsSupported)
        {
            ulong crc64 = crc;
            while (data.Length >= 8)
            {
                crc64 = Sse42.X64.Crc32(crc64, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }

            crc = (uint)crc64;
        }

        if (Sse42.IsSupported)
        {
            foreach (var b in data) { crc = Sse42.Crc32(crc, b); }
        }
        else
        {
            foreach (var b in data) { crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8); }
        }

        return ~crc;
    }

    /// <summary>The portable path, exposed so tests can prove both paths agree.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data) { crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8); }
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) { c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1; }
            table[i] = c;
        }

        return table;
    }
}
