using System.Text;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("123456789", 0xE3069283u)] // the CRC-32C check value (RFC 3720 / iSCSI)
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    public void KnownVectorsMatch(string text, uint expected) => Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void A_long_input_gives_the_bitwise_reference_value()
    {
        // 1031 bytes (0, 1, … 255 repeated): long enough for the vectorised path, with a tail; the value is the
        // bitwise (one bit at a time) CRC-32C of the same bytes.
        var data = new byte[1031];
        for (var i = 0; i < data.Length; i++) { data[i] = (byte)i; }

        Assert.Equal(0x66F3F1C5u, Crc32C.Compute(data));
    }

    [Fact]
    public void A_record_header_is_byte_identical_to_one_written_by_the_hand_written_crc()
    {
        var payload = """{"type":"track","event":"Order Completed"}"""u8;
        var header = new byte[SpoolRecordFormat.HeaderSize];

        SpoolRecordFormat.WriteHeader(header, payload);

        // Written by the spool before System.IO.Hashing: magic F5 'OTQ' (a JSON record), length 42, crc32c(payload) 7fbaee11,
        // crc32c(header[..12]). Today's binary record ('B') has the same length and payload CRC, and its own header CRC.
        Assert.Equal("f54f54422a0000007fbaee11", Convert.ToHexStringLower(header[..12]));
        Assert.Equal(Crc32C.Compute(header.AsSpan(0, 12)), BitConverter.ToUInt32(header, 12));
        Assert.True(SpoolRecordFormat.TryReadHeader(Convert.FromHexString("f54f54512a0000007fbaee11ee073a08"), out var length, out var crc, out var kind));
        Assert.Equal((42, Crc32C.Compute(payload), SpoolRecordKind.Json), (length, crc, kind));
    }
}
