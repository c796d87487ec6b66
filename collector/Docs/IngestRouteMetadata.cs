using OmniTrackIQ.Collector.Docs;

// In the Ingest namespace so IngestEndpoints can call these without a new using.
namespace OmniTrackIQ.Collector.Ingest;

/// <summary>OpenAPI metadata of the ingest routes, kept out of IngestEndpoints: <c>app.MapPost("/v1/batch", …).WithBatchMetadata()</c>.</summary>
internal static class IngestRouteMetadata
{
    /// <summary><c>POST /v1/batch</c> and <c>/v1/b</c>: summary, tag, the write-key schemes, 200 <see cref="Pipeline.Ingest.AcceptedResponse"/> and every problem it answers.</summary>
    public static RouteHandlerBuilder WithBatchMetadata(this RouteHandlerBuilder builder, params string[] writeKeySchemes) =>
        builder.WithEventsMetadata("Ingest a batch of events",
            "`{writeKey?, sentAt, context?, batch: [event…]}`, 1–500 events (Segment's batch format; our wire format in the README). " +
            "Accepted event by event: 200 `{accepted, rejected: [{index, field, reason, detail}]}`, each rejected event kept in bad_events; " +
            "only an unreadable body is refused whole. Answered after the accepted events are fsynced to the spool.", writeKeySchemes);

    /// <summary>Segment's one-event routes (<c>/v1/track</c>, <c>/v1/t</c>, …): the body is one event of the route's type.</summary>
    public static RouteHandlerBuilder WithSingleEventMetadata(this RouteHandlerBuilder builder, string type) =>
        builder.WithEventsMetadata($"Ingest one {type} event (Segment's HTTP API)",
            $"One Segment-spec `{type}` event with `writeKey`/`sentAt` beside its fields; the route sets the type. " +
            "Answered like the batch routes, with `accepted` 0 or 1.", []);

    private static RouteHandlerBuilder WithEventsMetadata(this RouteHandlerBuilder builder, string summary, string description, string[] writeKeySchemes) =>
        builder
            .WithTags("Ingest")
            .WithSummary(summary)
            .WithDescription(description + " Bodies: application/json, text/plain or application/x-www-form-urlencoded (all read as JSON), " +
                             "optionally Content-Encoding gzip, deflate or br (limits count the decompressed bytes).")
            .DocumentsBody("Event JSON (README \"Sending from Segment-spec clients\").", "application/json", "text/plain")
            .Produces<Pipeline.Ingest.AcceptedResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequiresAnyOf(writeKeySchemes.Length > 0 ? writeKeySchemes : SecuritySchemes.WriteKeyAny);

    /// <summary><c>GET /p.gif</c>: always the 43-byte GIF, whatever happened to the event.</summary>
    public static RouteHandlerBuilder WithPixelMetadata(this RouteHandlerBuilder builder, params string[] writeKeySchemes) =>
        builder
            .WithTags("Ingest")
            .WithSummary("Tracking pixel: one event in the query string")
            .WithDescription("Always answers a 43-byte transparent GIF, whatever happened to the event: a refused event is counted and kept in bad_events, " +
                             "a rate-limited one is counted, and neither is stored.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/gif")
            .WithMetadata(new AuthMetadata(writeKeySchemes.Length > 0 ? writeKeySchemes : [SecuritySchemes.PixelWriteKey]));
}
