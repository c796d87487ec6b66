using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// Reads a request body into a pooled buffer, refusing (413) as soon as it passes <c>limit</c>, before buffering
/// more. The limit counts the bytes after decompression (a gzip body is read through the decompression
/// middleware), so a gzip bomb stops at the limit and never grows memory past it.
/// </summary>
internal static class BodyReader
{
    public static async Task<(byte[]? Buffer, int Length, IngestError? Error)> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) { return (null, 0, TooLarge(limit)); }

        // Kestrel's server-wide cap is sized for event batches; an endpoint with a larger limit (spend imports) raises it.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false } && sizeFeature.MaxRequestBodySize < limit + 1L) { sizeFeature.MaxRequestBodySize = limit + 1L; }

        var reader = request.BodyReader;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var data = result.Buffer;
                if (length + data.Length > limit)
                {
                    reader.AdvanceTo(data.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, TooLarge(limit));
                }

                if (length + data.Length > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(buffer.Length * 2, length + data.Length), limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted) { return (buffer, length, null); }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's (or the decompression middleware's) own count can trip inside a read before ours sees the bytes.
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, TooLarge(limit));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or InvalidOperationException or InvalidDataException)
        {
            // InvalidDataException: a body labelled gzip that is not (or is cut short).
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, IngestError.BadRequest("$", "the request body could not be read: " + ex.Message, "unreadable_body"));
        }
    }

    private static IngestError TooLarge(int limit) =>
        new(413, "$", $"request body is over the limit of {limit} bytes (after decompression)", "body_too_large");
}
