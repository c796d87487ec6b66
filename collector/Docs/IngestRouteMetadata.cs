using OmniTrackIQ.Collector.Docs;

// In the Ingest namespace so IngestEndpoints can call these without a new using.
namespace OmniTrackIQ.Collector.Ingest;

/// <summary>OpenAPI metadata of the ingest routes, kept out of IngestEndpoints: <c>app.MapPost("/v1/batch", …).WithBatchMetadata()</c>.</summary>
internal static class IngestRouteMetadata
{
    /// <summary><c>POST /v1/batch</c>: summary, tag, the write-key schemes, 200 <see cref="AcceptedResponse"/> and every problem it answers.</summary>
    public static RouteHandlerBuilder WithBatchMetadata(this RouteHandlerBuilder builder, params string[] writeKeySchemes) =>
        builder
            .WithTags("Ingest")
            .WithSummary("Ingest a batch of events")
            .WithDescription("`{writeKey, sentAt, batch: [event…]}`, 1–500 events, as application/json or text/plain (navigator.sendBeacon). " +
                             "All or nothing; answered only after the batch is fsynced to the spool.")
            .DocumentsBody("The batch (wire format in the README).", "application/json", "text/plain")
            .Produces<AcceptedResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
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
