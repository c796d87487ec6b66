using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The event routes: our batch and pixel, and Segment's API (<see cref="SegmentRoutes"/>), so that a Segment-spec
/// client is pointed at us by changing its host. Acceptance is per event (DESIGN "Acceptance"), in
/// <see cref="IngestPipeline"/>; the routes only read, authenticate and parse.
/// </summary>
internal static class IngestEndpoints
{
    /// <summary>A transparent 1x1 GIF, the same 43 bytes as nginx's empty_gif.</summary>
    private static readonly byte[] s_gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        // In this order, as every event route answers: 415, 503 (spool full), 413, then 401, 403, 429, then the body's own 400.
        var events = app.MapGroup("")
            .AddEndpointFilter<EventBodyFilter>()
            .AddEndpointFilter<WriteKeyFilter>()
            .AddEndpointFilter<BrowserOriginFilter>()
            .AddEndpointFilter<WriteKeyRateFilter>();
        foreach (var (path, type) in SegmentRoutes.All)
        {
            var route = events.MapPost(path, PostEventsAsync).WithMetadata(new EventRoute(type));
            if (type is { } single) { route.WithSingleEventMetadata(EventTypes.Name(single)); }
            else { route.WithBatchMetadata(); }
        }

        // analytics.js's own usage metrics: answered so it stays quiet, never stored.
        app.MapPost(SegmentRoutes.Metrics, () => TypedResults.Ok())
            .WithTags("Ingest").WithSummary("analytics.js client metrics: answered 200, never stored");
        app.MapGet(SegmentRoutes.SettingsPrefix + "{writeKey}/settings", GetSettings)
            .WithTags("Ingest").WithSummary("Settings for analytics.js (cdnURL): the Segment.io destination pointed at this collector")
            .Produces<SegmentSettings>().ProducesProblem(StatusCodes.Status404NotFound);
        // The pixel's services are singletons, taken once here: as handler parameters they were resolved through the
        // request's service scope, which made (and disposed) a scope for every hit (issue 16).
        var workspaces = app.ServiceProvider.GetRequiredService<WorkspaceRegistry>();
        var limiter = app.ServiceProvider.GetRequiredService<WorkspaceRateLimiter>();
        var pipeline = app.ServiceProvider.GetRequiredService<IngestPipeline>();
        var pixelIds = app.ServiceProvider.GetRequiredService<PixelIdKey>();
        app.MapGet("/p.gif", (Delegate)((HttpContext context) => GetPixelAsync(context, workspaces, limiter, pipeline, pixelIds))).WithPixelMetadata();
        return app;
    }

    /// <summary>The body as the group's filters left it (read, authenticated, within its rate): parsed, then the pipeline's.</summary>
    private static async Task<IResult> PostEventsAsync(HttpContext context, IngestPipeline pipeline)
    {
        var request = EventRequest.Of(context);
        if (request.EnvelopeError is { } envelopeError) { return Problems.Refused(pipeline, envelopeError); }
        var parsed = new ParsedBatch();
        if (BatchParser.ParseEvents(request.Body.Span, request.Envelope, request.Single, parsed) is { } error) { return Problems.Refused(pipeline, error); }

        var route = request.Single is null ? IngestRoute.Batch : IngestRoute.SingleEvent;
        var batch = new IngestBatch(route, RequestFacts.Of(context, request.Workspace), pipeline.Now, parsed.Events, parsed.Rejected) { Body = request.Body };
        return IngestResults.From(await pipeline.AcceptAsync(batch, context.RequestAborted), context);
    }

    private static IResult GetSettings(string writeKey, HttpContext context, WorkspaceRegistry workspaces, Hosting.PublicUrl publicUrl)
    {
        if (workspaces.ByWriteKey(writeKey) is null)
        {
            return Problems.From(new IngestError(404, "writeKey", "no workspace has this write key", "unknown_write_key"));
        }

        return TypedResults.Ok(SegmentSettings.Answer(writeKey, context, publicUrl.Value));
    }

    /// <summary>
    /// The pixel keeps its checks in the handler, not in the group's filters: its answer is the GIF whatever happens (a
    /// broken pixel must never break a page, and the browser ignores errors anyway), so nothing may refuse it.
    /// </summary>
    private static async Task GetPixelAsync(HttpContext context, WorkspaceRegistry workspaces, WorkspaceRateLimiter limiter, IngestPipeline pipeline, PixelIdKey pixelIds)
    {
        var response = context.Response;
        response.ContentType = "image/gif";
        response.Headers.CacheControl = "no-store, max-age=0";
        response.ContentLength = s_gif.Length;

        var query = context.Request.QueryString.Value;
        var error = PixelQueryParser.TryParse(query, out var key, out _, out var evt);
        var workspace = workspaces.ByWriteKey(key);
        if (error is null && workspace is null) { error = new IngestError(401, "wk", "unknown write key", "unknown_write_key"); }
        var receivedAt = pipeline.Now;
        // Over its limit a pixel still gets its GIF (a page must never break); the limiter counted it, nothing is stored.
        // A known key pays for invalid hits too, or a flood of them would cost the collector more than valid ones.
        var limited = workspace is not null && !(await limiter.TryAcquireAsync(workspace, RateLimitedKey.WriteKey)).Allowed;
        if (!limited && error is not null) { pipeline.RefuseHit(workspace, error, query, receivedAt); }
        else if (!limited)
        {
            var sender = RequestFacts.Of(context, workspace!);
            if (evt.MessageId.Length == 0)
            {
                evt.MessageId = MessageIds.ForPixel(pixelIds.Key, query ?? "", sender.UserAgent, sender.ClientIp, receivedAt);
            }

            await pipeline.AcceptAsync(new IngestBatch(IngestRoute.Pixel, sender, receivedAt, [evt], []) { Query = query }, context.RequestAborted);
        }

        await response.Body.WriteAsync(s_gif, context.RequestAborted);
    }
}
