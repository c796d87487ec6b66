using System.Buffers;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The event routes: our batch and pixel, and Segment's API (<see cref="SegmentRoutes"/>), so that a Segment-spec
/// client is pointed at us by changing its host. Acceptance is per event (DESIGN "Acceptance").
/// </summary>
internal static class IngestEndpoints
{
    /// <summary>A transparent 1x1 GIF, the same 43 bytes as nginx's empty_gif.</summary>
    private static readonly byte[] s_gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        foreach (var (path, type) in SegmentRoutes.All)
        {
            var route = app.MapPost(path, (HttpContext context, IngestServices services) => PostEventsAsync(context, type, services));
            if (type is { } single) { route.WithSingleEventMetadata(EventTypes.Name(single)); }
            else { route.WithBatchMetadata(); }
        }

        // analytics.js's own usage metrics: answered so it stays quiet, never stored.
        app.MapPost(SegmentRoutes.Metrics, () => TypedResults.Ok())
            .WithTags("Ingest").WithSummary("analytics.js client metrics: answered 200, never stored");
        app.MapGet(SegmentRoutes.SettingsPrefix + "{writeKey}/settings", GetSettings)
            .WithTags("Ingest").WithSummary("Settings for analytics.js (cdnURL): the Segment.io destination pointed at this collector")
            .Produces<SegmentSettings>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/p.gif", GetPixelAsync).WithPixelMetadata();
        return app;
    }

    /// <summary>What every event route needs, resolved once per request.</summary>
    internal sealed record IngestServices(WorkspaceRegistry Workspaces, EventIngestor Ingestor, CollectorMetrics Metrics, SpoolOptions SpoolOptions,
        BadEventQueue BadEvents, WorkspaceRateLimiter Limiter, PixelIdKey PixelIds);

    private static async Task<IResult> PostEventsAsync(HttpContext context, EventType? single, IngestServices services)
    {
        var (_, ingestor, metrics, spoolOptions, _, _, _) = services;
        if (RefuseContent(context.Request) is { } contentError) { return Refuse(metrics, contentError); }
        if (!ingestor.HasRoom)
        {
            metrics.SpoolFull();
            return Problems.SpoolFull(spoolOptions.RetryAfterSeconds, context);
        }

        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, WireLimits.MaxBodyBytes, context.RequestAborted);
        if (readError is not null) { return Refuse(metrics, readError); }
        try
        {
            return await IngestAsync(context, buffer!.AsMemory(0, length), single, services);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    private static async Task<IResult> IngestAsync(HttpContext context, ReadOnlyMemory<byte> body, EventType? single, IngestServices services)
    {
        var (workspaces, ingestor, metrics, spoolOptions, badEvents, limiter, _) = services;
        // Authentication first, on the envelope alone: an unknown key learns nothing about its payload and costs no
        // event parsing, whatever the body holds.
        var envelopeError = BatchParser.TryReadEnvelope(body.Span, single, out var envelope);
        var (key, keyField) = WriteKeys.Find(context.Request, envelope.WriteKey);
        var workspace = workspaces.ByWriteKey(key);
        if (workspace is null)
        {
            return Refuse(metrics, new IngestError(401, keyField, key is null ? "write key is required (HTTP Basic user, body writeKey, X-OTQ-Key header or ?writeKey=)" : "unknown write key", "unknown_write_key"));
        }

        if (!BrowserCors.AllowsRequest(context, workspace))
        {
            return Refuse(metrics, new IngestError(403, "Origin", "this origin is not allowed for the workspace", "origin_not_allowed"));
        }

        // Counted in elements, valid or not, after authentication (one workspace's flood never spends another's
        // budget) and before the events are parsed (a refused batch costs nothing more): rejected events and unreadable
        // bodies cost the sender as much as accepted events. The limiter counts what it refuses, per workspace.
        if (limiter.TryAcquire(workspace, RateLimitedKey.WriteKey, envelope.Cost) is { Allowed: false } rate)
        {
            return Problems.RateLimited(rate.RetryAfterSeconds, context);
        }

        if (envelopeError is not null) { return Refuse(metrics, envelopeError); }
        var batch = new ParsedBatch();
        if (BatchParser.ParseEvents(body.Span, envelope, single, batch) is { } error) { return Refuse(metrics, error); }

        var receivedAt = ingestor.Now;
        var refused = new List<(TrackedEvent Event, IngestError Error)>();
        ingestor.Prepare(batch.Events, EventIngestor.Describe(context, workspace), receivedAt, refused);
        var prefix = single is null;
        foreach (var (evt, refusal) in refused)
        {
            var field = prefix ? $"batch[{evt.BatchIndex}].{refusal.Field}" : refusal.Field;
            batch.Rejected.Add(BatchParser.Reject(evt.BatchIndex, refusal with { Field = field }, body.Span[evt.Source]));
        }

        try
        {
            await ingestor.AcceptAsync(batch.Events, waitForDisk: true, context.RequestAborted);
        }
        catch (Exception ex) when (ex is SpoolUnavailableException or System.Threading.Channels.ChannelClosedException)
        {
            metrics.SpoolFull();
            return Problems.SpoolFull(spoolOptions.RetryAfterSeconds, context);
        }

        // Only now: a 503 above makes the client send the batch again, and its rejections with it.
        return TypedResults.Ok(Rejections.Keep(batch.Events.Count, batch.Rejected, workspace.Id, receivedAt, metrics, badEvents));
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

    private static IResult GetSettings(string writeKey, HttpContext context, WorkspaceRegistry workspaces, Hosting.PublicUrl publicUrl)
    {
        if (workspaces.ByWriteKey(writeKey) is null)
        {
            return Problems.From(new IngestError(404, "writeKey", "no workspace has this write key", "unknown_write_key"));
        }

        return TypedResults.Ok(SegmentSettings.Answer(writeKey, context, publicUrl.Value));
    }

    private static async Task GetPixelAsync(HttpContext context, IngestServices services)
    {
        var (workspaces, ingestor, metrics, _, badEvents, limiter, pixelIds) = services;
        // The GIF is always the answer: a broken pixel must never break a page, and the browser ignores errors anyway.
        var response = context.Response;
        response.ContentType = "image/gif";
        response.Headers.CacheControl = "no-store, max-age=0";
        response.ContentLength = s_gif.Length;

        var error = PixelQueryParser.TryParse(context.Request.Query, out var key, out _, out var evt);
        var workspace = workspaces.ByWriteKey(key);
        if (error is null && workspace is null) { error = new IngestError(401, "wk", "unknown write key", "unknown_write_key"); }
        var receivedAt = ingestor.Now;
        // Over its limit a pixel still gets its GIF (a page must never break); the limiter counted it, nothing is stored.
        // A known key pays for invalid hits too, or a flood of them would cost the collector more than valid ones.
        var limited = workspace is not null && !limiter.TryAcquire(workspace, RateLimitedKey.WriteKey).Allowed;
        if (error is null && !limited)
        {
            var request = EventIngestor.Describe(context, workspace!);
            if (evt.MessageId.Length == 0)
            {
                evt.MessageId = MessageIds.ForPixel(pixelIds.Key, context.Request.QueryString.Value ?? "", request.UserAgent, request.ClientIp, receivedAt);
            }

            List<TrackedEvent> events = [evt];
            var refused = new List<(TrackedEvent Event, IngestError Error)>(0);
            ingestor.Prepare(events, request, receivedAt, refused);
            if (refused.Count > 0) { error = refused[0].Error; }
            else if (!ingestor.HasRoom) { error = new IngestError(503, "$", "spool full", "spool_full"); }
            else
            {
                try
                {
                    await ingestor.AcceptAsync(events, waitForDisk: false, context.RequestAborted);
                }
                catch (Exception ex) when (ex is SpoolUnavailableException or System.Threading.Channels.ChannelClosedException or OperationCanceledException)
                {
                    error = new IngestError(503, "$", "spool unavailable", "spool_full");
                }
            }
        }

        if (error is not null && !limited)
        {
            metrics.EventsRejected(error.Reason);
            // Without a known key it is anyone's request: counted, never stored. A workspace's refusal keeps only the
            // query string, e-mails and phones hashed (nothing of the connection: no address, no user agent).
            if (workspace is not null)
            {
                badEvents.TryAdd(new BadEvent(workspace.Id, PiiText.Scrub(context.Request.QueryString.Value) ?? "", $"{error.Field}: {error.Detail}", receivedAt, null, error.Field));
            }
        }

        await response.Body.WriteAsync(s_gif, context.RequestAborted);
    }

    private static IResult Refuse(CollectorMetrics metrics, IngestError error)
    {
        metrics.EventsRejected(error.Reason);
        return Problems.From(error);
    }
}
