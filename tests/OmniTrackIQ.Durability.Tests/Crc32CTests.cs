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
    public void HardwareAndTablePathsAgree()
    {
        var data = new byte[1031];
        new Random(7).NextBytes(data);
        for (var length = 0; length < data.Length; length += 37)
        {
            Assert.Equal(Crc32C.ComputeWithTable(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)));
        }
    }
}
