using OmniTrackIQ.Collector.Docs;
using System.Buffers;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// <c>POST /v1/conversions</c>: the shop's server reports orders (secret key). Accepted per order like events;
/// a retried report is stored once, a changed one is a new report of the same order (the ledger keeps both).
/// </summary>
internal static class ConversionEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapConversions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/conversions", PostAsync)
            .WithTags("Orders").WithSummary("Report orders from the shop's server (one, an array, or {orders: [...]}, up to 500)")
            .DocumentsBody("{orderId, timestamp, updatedAt?, revenue, currency, anonymousId?, userId?, email?|emailSha256?, phone?, clickIds?, landingUrl?, referrer?, lineItems?, status?, refunds?}", "application/json")
            .Produces<AcceptedResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireSecretKey()
            .LimitSecretKeyRequests();
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext context, IngestPipeline pipeline, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.From(new IngestError(415, "Content-Type", "send application/json", "unsupported_media_type"));
        }

        // Before the body is read, as /v1/batch does: over its limit the spool takes nothing until the sink catches up.
        if (pipeline.IsFull(out var retryAfter)) { return Problems.SpoolFull(retryAfter, context); }

        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (readError is not null) { return Problems.From(readError); }
        IngestError? error;
        List<(OrderReport Report, string MessageId)> reports;
        List<RejectedEvent> rejected;
        try
        {
            error = ConversionApiParser.TryParse(buffer.AsSpan(0, length), out reports, out rejected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }

        if (error is not null) { return Problems.From(error); }
        var batch = OrderBatch.From(IngestRoute.ConversionApi, reports, workspace, pipeline.Now, rejected);
        return IngestResults.From(await pipeline.AcceptAsync(batch, cancellationToken), context);
    }
}
