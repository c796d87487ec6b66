using System.Buffers;
using Microsoft.AspNetCore.Http;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>Bodies without a Content-Length (chunked uploads) are counted while read; TestServer always sends one.</summary>
public sealed class BodyReaderTests
{
    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read_whole()
    {
        var body = new byte[SpendLimits.MaxBodyBytes];
        body[^1] = (byte)'x';

        var (buffer, length, error) = await BodyReader.ReadAsync(Context(body).Request, SpendLimits.MaxBodyBytes, CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(SpendLimits.MaxBodyBytes, length);
        Assert.Equal((byte)'x', buffer![length - 1]);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Fact]
    public async Task One_byte_over_the_limit_without_a_length_is_413()
    {
        var (buffer, _, error) = await BodyReader.ReadAsync(Context(new byte[SpendLimits.MaxBodyBytes + 1]).Request, SpendLimits.MaxBodyBytes, CancellationToken.None);

        Assert.Null(buffer);
        Assert.Equal((413, "$", "body_too_large"), (error!.Status, error.Field, error.Reason));
    }

    [Fact]
    public async Task A_gzip_bomb_stops_at_the_limit_of_its_decompressed_bytes()
    {
        // 64 MiB of zeros compress to ~64 KiB: the reader must refuse after 512 KiB of output, not inflate it all.
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++) { gzip.Write(zeros); }
        }

        var context = new DefaultHttpContext();
        compressed.Position = 0;
        context.Request.Body = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        var (buffer, _, error) = await BodyReader.ReadAsync(context.Request, OmniTrackIQ.Pipeline.Ingest.WireLimits.MaxBodyBytes, CancellationToken.None);

        Assert.Null(buffer);
        Assert.Equal((413, "body_too_large"), (error!.Status, error.Reason));
        Assert.True(compressed.Position < compressed.Length, "the reader stopped before the end of the compressed stream");
    }

    [Fact]
    public async Task A_body_labelled_gzip_that_is_not_is_unreadable_not_a_crash()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new System.IO.Compression.GZipStream(new MemoryStream("{\"not\":\"gzip\"}"u8.ToArray()), System.IO.Compression.CompressionMode.Decompress);

        var (buffer, _, error) = await BodyReader.ReadAsync(context.Request, OmniTrackIQ.Pipeline.Ingest.WireLimits.MaxBodyBytes, CancellationToken.None);

        Assert.Null(buffer);
        Assert.Equal((400, "unreadable_body"), (error!.Status, error.Reason));
    }

    private static DefaultHttpContext Context(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        Assert.Null(context.Request.ContentLength);
        return context;
    }
}
