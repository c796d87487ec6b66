using System.Buffers;
using System.IO.Pipelines;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>Reads a request body into a pooled buffer, refusing (413) as soon as it passes the limit, before buffering more.</summary>
internal static class BodyReader
{
    public static async Task<(byte[]? Buffer, int Length, IngestError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const int limit = WireLimits.MaxBodyBytes;
        if (request.ContentLength > limit) { return (null, 0, TooLarge()); }

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
                    return (null, 0, TooLarge());
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
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or InvalidOperationException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, IngestError.BadRequest("$", "the request body could not be read: " + ex.Message, "unreadable_body"));
        }
    }

    private static IngestError TooLarge() =>
        new(413, "$", $"request body is over the limit of {WireLimits.MaxBodyBytes} bytes", "body_too_large");
}
