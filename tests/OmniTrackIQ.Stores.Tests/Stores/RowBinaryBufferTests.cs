using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The ClickHouse insert body written into fixed-size pooled chunks: the stream the request sends holds exactly the
/// bytes one contiguous RowBinary encoding would, whatever chunk boundaries fall between (never inside) values.
/// </summary>
public sealed class RowBinaryBufferTests
{
    [Theory]
    [InlineData(16)] // every few values start a new chunk; the 40-byte string gets a chunk of its own
    [InlineData(256)]
    [InlineData(RowBinaryBuffer.DefaultChunkBytes)] // one chunk
    public void The_body_reads_back_as_one_contiguous_encoding_whatever_the_chunk_size(int chunkBytes)
    {
        using var buffer = new RowBinaryBuffer(chunkBytes);
        var expected = new List<byte>();
        for (var row = 0; row < 20; row++)
        {
            buffer.UInt8((byte)row);
            expected.Add((byte)row);
            buffer.UInt32(0x04030201u);
            expected.AddRange([1, 2, 3, 4]);
            buffer.Int64(-2);
            expected.AddRange([0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
            buffer.String("é");
            expected.AddRange([2, 0xC3, 0xA9]);
            buffer.NullableString(null);
            expected.Add(1);
            buffer.String(new string('x', 40)); // GetMaxByteCount(40) = 123 < 0x80: the one-byte length path
            expected.Add(40);
            expected.AddRange(Enumerable.Repeat((byte)'x', 40));
        }

        buffer.String(new string('y', 200)); // its length a two-byte varint; at 16 bytes a chunk, a chunk of its own size
        expected.AddRange([200, 1]);
        expected.AddRange(Enumerable.Repeat((byte)'y', 200));

        Assert.Equal(expected.Count, buffer.Length);
        using var stream = buffer.AsStream();
        Assert.Equal(expected, ReadAll(stream));
    }

    [Fact]
    public async Task The_stream_knows_its_length_seeks_back_and_copies_from_its_position()
    {
        using var buffer = new RowBinaryBuffer(8);
        for (var i = 0; i < 5; i++) { buffer.UInt64((ulong)i); } // five chunks of eight bytes
        using var stream = buffer.AsStream();

        Assert.True(stream.CanSeek);
        Assert.Equal(40, stream.Length);
        var first = new byte[12];
        Assert.Equal(12, stream.Read(first));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, first);

        using var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        Assert.Equal(28, rest.Length);
        Assert.Equal(40, stream.Position);
        Assert.Equal(0, stream.Read(new byte[4]));

        stream.Position = 0;
        using var again = buffer.AsStream();
        Assert.Equal(ReadAll(again), ReadAll(stream));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        var chunk = new byte[7]; // reads that straddle the chunks
        int read;
        while ((read = stream.Read(chunk)) > 0) { copy.Write(chunk, 0, read); }
        return copy.ToArray();
    }
}
