using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Collector.Spend;

/// <summary>
/// Reads a spend import body (up to <see cref="SpendLimits.MaxBodyBytes"/>, far above the browser endpoints'
/// limit) into a pooled buffer, refusing with 413 as soon as it passes the limit.
/// </summary>
internal static class SpendBodyReader
{
    public static async Task<(byte[]? Buffer, int Length, IngestError? Error)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        const int limit = SpendLimits.MaxBodyBytes;
        var request = context.Request;
        if (request.ContentLength > limit) { return (null, 0, TooLarge()); }

        // Kestrel's server-wide cap is sized for browser batches; this endpoint enforces its own, larger one.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) { sizeFeature.MaxRequestBodySize = limit + 1L; }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return (null, 0, TooLarge());
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) { break; }
                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, TooLarge());
                }
            }

            return (buffer, length, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own count (set above to limit + 1) can trip inside a read before ours sees the bytes.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, TooLarge());
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or InvalidOperationException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, IngestError.BadRequest("$", "the request body could not be read: " + ex.Message, "unreadable_body"));
        }
    }

    private static IngestError TooLarge() =>
        new(413, "$", $"request body is over the limit of {SpendLimits.MaxBodyBytes} bytes", "body_too_large");
}
