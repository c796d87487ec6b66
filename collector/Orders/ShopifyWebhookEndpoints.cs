using System.Buffers;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// <c>POST /v1/webhooks/shopify/{workspace}</c>, one URL for every order topic (README "Shopify order webhooks").
/// The signature is checked over the raw bytes before anything is parsed; the shop must be the workspace's. A report
/// is keyed by its signed payload (<see cref="ShopifyReportIds"/>), never by the unsigned delivery headers, so a retry
/// or a replay of the same body is stored once; <c>X-Shopify-Webhook-Id</c> only spares a retry the spool
/// (<see cref="ShopifyDeliveries"/>). The 200 comes once the mapped order is durable in the spool (milliseconds: far
/// inside Shopify's 5 s); attribution happens after, in the worker.
/// </summary>
internal static class ShopifyWebhookEndpoints
{
    /// <summary>Shopify's own order payloads are a few KB; anything near this is not one.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapShopifyWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapShopifyWebhookGroup();
        webhooks.MapPost("/{workspace}", PostAsync)
            .WithTags("Orders").WithSummary("Shopify order webhooks: orders/create, orders/paid, orders/updated, orders/cancelled, refunds/create")
            .WithDescription("Signed with X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the workspace's ShopifyWebhookSecret). " +
                             "401 for a missing or wrong signature, 403 for another shop, 413 over 1 MiB, 503 + Retry-After while the spool is full (Shopify retries); " +
                             "a signed payload that cannot be mapped is kept in bad_events and answered 200 so Shopify does not retry it.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        Privacy.ShopifyPrivacyWebhookEndpoints.MapShopifyPrivacyWebhooks(webhooks);
        return app;
    }

    private static async Task<IResult> PostAsync(HttpContext context, IngestPipeline pipeline, ShopifyDeliveries deliveries, CancellationToken cancellationToken)
    {
        var settings = context.ShopifyWorkspace();

        // The compliance topics may share this URL (one subscription URI for the whole app): they are answered by the privacy route.
        if (Pipeline.Erasure.ShopifyPrivacyRequest.IsPrivacyTopic(context.Request.Headers["X-Shopify-Topic"].ToString()))
        {
            var services = context.RequestServices;
            return await Privacy.ShopifyPrivacyWebhookEndpoints.PostAsync(context, services.GetRequiredService<Pipeline.Erasure.PersonErasure>(),
                services.GetRequiredService<Privacy.PrivacyExports>(), services.GetRequiredService<ILogger<Pipeline.Erasure.PersonErasure>>(), cancellationToken);
        }

        // Before the body is read, as /v1/batch does: Shopify retries a 503 (8 times over 4 hours).
        if (pipeline.IsFull(out var retryAfter)) { return Problems.SpoolFull(retryAfter, context); }

        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (readError is not null) { return Problems.From(readError); }
        try
        {
            return await AcceptAsync(buffer.AsMemory(0, length), context, settings, pipeline, deliveries, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    private static async Task<IResult> AcceptAsync(ReadOnlyMemory<byte> body, HttpContext context, WorkspaceSettings settings, IngestPipeline pipeline,
        ShopifyDeliveries deliveries, CancellationToken cancellationToken)
    {
        var headers = context.Request.Headers;
        if (ShopifyWebhookAuth.Verify(body.Span, headers, settings) is { } authError)
        {
            if (authError.Reason == "bad_signature") { pipeline.RequestRefused(authError); }
            return Problems.From(authError);
        }

        var webhookId = headers["X-Shopify-Webhook-Id"].ToString();
        if (deliveries.WasTaken(settings.Id, webhookId)) { return TypedResults.Ok(); }
        var topic = headers["X-Shopify-Topic"].ToString();
        var mapped = ShopifyOrderMapper.Map(topic, body.Span);
        if (mapped.Report is null)
        {
            // Signed by Shopify but not an order we can read: kept for inspection and answered 200, because any other
            // answer makes Shopify retry the same payload 8 times over 4 hours and then drop the subscription.
            pipeline.RefuseDelivery(settings, mapped.Field, "unmappable_webhook", $"{topic}: {mapped.Error}", body.Span, pipeline.Now);
            deliveries.Taken(settings.Id, webhookId);
            return TypedResults.Ok();
        }

        var messageId = ShopifyReportIds.For(topic, body.Span, mapped.Report);
        var batch = OrderBatch.From(IngestRoute.ShopifyWebhook, [(mapped.Report, messageId)], settings, pipeline.Now, [], body);
        var outcome = await pipeline.AcceptAsync(batch, cancellationToken);
        if (outcome.SpoolUnavailable) { return IngestResults.From(outcome, context); }

        deliveries.Taken(settings.Id, webhookId);
        return TypedResults.Ok();
    }
}
