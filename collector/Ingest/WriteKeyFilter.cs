using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// Write-key authentication of the event routes (401), on the envelope alone: an unknown key learns nothing about its
/// payload and costs no event parsing, whatever the body holds. The key is looked for in <see cref="WriteKeys"/>' order.
/// </summary>
internal sealed class WriteKeyFilter(WorkspaceRegistry workspaces, IngestPipeline pipeline) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = EventRequest.Of(http);
        var envelopeError = BatchParser.TryReadEnvelope(request.Body.Span, request.Single, out var envelope);
        var (key, keyField) = WriteKeys.Find(http.Request, envelope.WriteKey);
        var workspace = workspaces.ByWriteKey(key);
        if (workspace is null)
        {
            var detail = key is null ? "write key is required (HTTP Basic user, body writeKey, X-OTQ-Key header or ?writeKey=)" : "unknown write key";
            return ValueTask.FromResult<object?>(Problems.Refused(pipeline, new IngestError(401, keyField, detail, "unknown_write_key")));
        }

        request.Authenticated(envelope, envelopeError, workspace);
        return next(context);
    }
}
