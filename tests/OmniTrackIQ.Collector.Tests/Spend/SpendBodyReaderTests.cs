using System.Buffers;
using Microsoft.AspNetCore.Http;
using OmniTrackIQ.Collector.Spend;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Collector.Tests.Spend;

/// <summary>Bodies without a Content-Length (chunked uploads) are counted while read; TestServer always sends one.</summary>
public sealed class SpendBodyReaderTests
{
    [Fact]
    public async Task A_body_of_exactly_the_limit_is_read_whole()
    {
        var body = new byte[SpendLimits.MaxBodyBytes];
        body[^1] = (byte)'x';

        var (buffer, length, error) = await SpendBodyReader.ReadAsync(Context(body), CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(SpendLimits.MaxBodyBytes, length);
        Assert.Equal((byte)'x', buffer![length - 1]);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    [Fact]
    public async Task One_byte_over_the_limit_without_a_length_is_413()
    {
        var (buffer, _, error) = await SpendBodyReader.ReadAsync(Context(new byte[SpendLimits.MaxBodyBytes + 1]), CancellationToken.None);

        Assert.Null(buffer);
        Assert.Equal((413, "$", "body_too_large"), (error!.Status, error.Field, error.Reason));
    }

    private static DefaultHttpContext Context(byte[] body)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(body);
        Assert.Null(context.Request.ContentLength);
        return context;
    }
}
