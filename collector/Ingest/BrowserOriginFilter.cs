using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// After the write key: a request from a browser (Origin header) must come from one of its workspace's origins (403).
/// Preflights are answered by <see cref="BrowserCors"/>, which cannot know the workspace.
/// </summary>
internal sealed class BrowserOriginFilter(IngestPipeline pipeline) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return BrowserCors.AllowsRequest(http, EventRequest.Of(http).Workspace)
            ? next(context)
            : ValueTask.FromResult<object?>(Problems.Refused(pipeline, new IngestError(403, "Origin", "this origin is not allowed for the workspace", "origin_not_allowed")));
    }
}
