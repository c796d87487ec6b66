using System.Buffers;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The event routes' first filter: a body labelled as something other than JSON is refused (415), nothing is read while
/// the spool is full (503), then the body is read into a pooled buffer within its limit (413) and handed on as
/// <see cref="EventRequest"/>. The buffer goes back to the pool once the handler is done.
/// </summary>
internal sealed class EventBodyFilter(IngestPipeline pipeline) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (RefuseContent(http.Request) is { } contentError) { return Problems.Refused(pipeline, contentError); }
        if (pipeline.IsFull(out var retryAfter)) { return Problems.SpoolFull(retryAfter, http); }

        var (buffer, length, readError) = await BodyReader.ReadAsync(http.Request, WireLimits.MaxBodyBytes, http.RequestAborted);
        if (readError is not null) { return Problems.Refused(pipeline, readError); }
        var single = http.GetEndpoint()?.Metadata.GetMetadata<EventRoute>()?.Single;
        http.Features.Set(new EventRequest(single, buffer.AsMemory(0, length)));
        try
        {
            return await next(context);
        }
        finally
        {
            http.Features.Set<EventRequest>(null);
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    /// <summary>
    /// Bodies are JSON whatever their label among those real clients use: application/json, text/plain (sendBeacon,
    /// analytics.js) and application/x-www-form-urlencoded (RudderStack's Node SDK labels its gzipped JSON so, and
    /// so does curl -d). An encoding the decompression middleware did not undo is refused.
    /// </summary>
    private static IngestError? RefuseContent(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (contentType is null
            || !(contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                 || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)
                 || contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            return new IngestError(415, "Content-Type", "send JSON as application/json (or text/plain, as navigator.sendBeacon does)", "unsupported_media_type");
        }

        return request.Headers.ContentEncoding.Count > 0 && request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding && encoding != "identity"
            ? new IngestError(415, "Content-Encoding", $"'{encoding}' is not supported: send gzip, deflate or br, or no encoding", "unsupported_encoding")
            : null;
    }
}
