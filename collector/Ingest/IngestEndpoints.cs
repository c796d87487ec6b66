using System.Buffers;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary><c>POST /v1/batch</c> and <c>GET /p.gif</c>: the browser endpoints.</summary>
internal static class IngestEndpoints
{
    /// <summary>A transparent 1x1 GIF, the same 43 bytes as nginx's empty_gif.</summary>
    private static readonly byte[] s_gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/batch", PostBatchAsync);
        app.MapGet("/p.gif", GetPixelAsync);
        return app;
    }

    private static async Task<IResult> PostBatchAsync(HttpContext context, WorkspaceRegistry workspaces, EventIngestor ingestor,
        CollectorMetrics metrics, SpoolOptions spoolOptions)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null
            || !(contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                 || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)))
        {
            return Refuse(metrics, new IngestError(415, "Content-Type", "send application/json (or text/plain, as navigator.sendBeacon does)", "unsupported_media_type"));
        }

        if (!ingestor.HasRoom)
        {
            metrics.SpoolFull();
            return Problems.SpoolFull(spoolOptions.RetryAfterSeconds, context);
        }

        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, context.RequestAborted);
        if (readError is not null) { return Refuse(metrics, readError); }

        ParsedBatch batch;
        IngestError? error;
        try
        {
            error = BatchParser.TryParse(buffer.AsSpan(0, length), out batch);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }

        var key = batch.WriteKey ?? (context.Request.Headers.TryGetValue("X-OTQ-Key", out var header) ? header.ToString() : null);
        var workspace = workspaces.ByWriteKey(key);
        if (workspace is null)
        {
            // Authentication first: an unknown key learns nothing about its payload.
            return Refuse(metrics, new IngestError(401, "writeKey", key is null ? "write key is required (body writeKey or X-OTQ-Key header)" : "unknown write key", "unknown_write_key"));
        }

        if (!BrowserCors.AllowsRequest(context, workspace))
        {
            return Refuse(metrics, new IngestError(403, "Origin", "this origin is not allowed for the workspace", "origin_not_allowed"));
        }

        error ??= ingestor.Prepare(batch.Events, workspace, batch.SentAt, context);
        if (error is not null) { return Refuse(metrics, error, Math.Max(batch.Events.Count, 1)); }

        try
        {
            await ingestor.AcceptAsync(batch.Events, waitForDisk: true, context.RequestAborted);
        }
        catch (Exception ex) when (ex is SpoolUnavailableException or System.Threading.Channels.ChannelClosedException)
        {
            metrics.SpoolFull();
            return Problems.SpoolFull(spoolOptions.RetryAfterSeconds, context);
        }

        return TypedResults.Ok(new AcceptedResponse(batch.Events.Count));
    }

    private static async Task GetPixelAsync(HttpContext context, WorkspaceRegistry workspaces, EventIngestor ingestor,
        CollectorMetrics metrics, BadEventQueue badEvents, TimeProvider time)
    {
        // The GIF is always the answer: a broken pixel must never break a page, and the browser ignores errors anyway.
        var response = context.Response;
        response.ContentType = "image/gif";
        response.Headers.CacheControl = "no-store, max-age=0";
        response.ContentLength = s_gif.Length;

        var error = PixelQueryParser.TryParse(context.Request.Query, out var key, out var sentAt, out var evt);
        var workspace = workspaces.ByWriteKey(key);
        if (error is null && workspace is null) { error = new IngestError(401, "wk", "unknown write key", "unknown_write_key"); }
        List<TrackedEvent> events = [evt];
        if (error is null) { error = ingestor.Prepare(events, workspace!, sentAt, context); }
        if (error is null && !ingestor.HasRoom) { error = new IngestError(503, "$", "spool full", "spool_full"); }

        if (error is null)
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

        if (error is not null)
        {
            metrics.EventsRejected(error.Reason);
            badEvents.TryAdd(new BadEvent(workspace?.Id, context.Request.QueryString.Value ?? "", $"{error.Field}: {error.Detail}", time.GetUtcNow()));
        }

        await response.Body.WriteAsync(s_gif, context.RequestAborted);
    }

    private static IResult Refuse(CollectorMetrics metrics, IngestError error, int events = 1)
    {
        metrics.EventsRejected(error.Reason, events);
        return Problems.From(error);
    }
}
