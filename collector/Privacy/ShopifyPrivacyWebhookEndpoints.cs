using System.Buffers;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// <c>POST /v1/webhooks/shopify/{workspace}/privacy</c>: Shopify's mandatory compliance webhooks, verified as the order
/// webhooks are (HMAC over the raw bytes with the workspace's ShopifyWebhookSecret, 401 when wrong, as Shopify
/// requires; 403 for another shop). The order URL hands these topics here too, so one subscription URL serves all.
/// <list type="bullet">
/// <item><c>customers/redact</c>: the customer (id, e-mail, phone, orders_to_redact and every id linked to them) is erased now;</item>
/// <item><c>shop/redact</c>: every row of the workspace is erased (Shopify sends it 48 hours after uninstall);</item>
/// <item><c>customers/data_request</c>: the customer's rows are exported to <c>privacy-exports/{workspace}/shopify-{data_request.id}.json</c>
/// in the data directory, fetched with <c>GET /v1/privacy/exports/shopify-{id}</c> (secret key) for the merchant to pass on.</item>
/// </list>
/// </summary>
internal static class ShopifyPrivacyWebhookEndpoints
{
    /// <summary>Compliance payloads are a few hundred bytes; an order list of thousands is still far below this.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    /// <summary>Maps <c>/{workspace}/privacy</c> in the webhook group (<see cref="Orders.ShopifyWebhookAuth.MapShopifyWebhookGroup"/>), whose filter finds the workspace.</summary>
    public static RouteGroupBuilder MapShopifyPrivacyWebhooks(this RouteGroupBuilder webhooks)
    {
        webhooks.MapPost("/{workspace}/privacy", PostAsync)
            .WithTags("Privacy").WithSummary("Shopify compliance webhooks: customers/data_request, customers/redact, shop/redact")
            .WithDescription("Signed with X-Shopify-Hmac-Sha256 like the order webhooks. 401 for a missing or wrong signature, 403 for another shop, " +
                             "400 naming the field for a payload that names no one, 503 + Retry-After when the store cannot be reached (Shopify retries).")
            .Produces<ErasureResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return webhooks;
    }

    public static async Task<IResult> PostAsync(HttpContext context, PersonErasure erasure, PrivacyExports exports, ILogger<PersonErasure> logger, CancellationToken cancellationToken)
    {
        var settings = Orders.ShopifyWebhookAuth.ShopifyWorkspace(context);

        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (readError is not null) { return Problems.From(readError); }
        ShopifyPrivacyRequest? request;
        string? field, error;
        try
        {
            var body = buffer!.AsSpan(0, length);
            var headers = context.Request.Headers;
            if (Orders.ShopifyWebhookAuth.Verify(body, headers, settings) is { } authError) { return Problems.From(authError); }

            request = ShopifyPrivacyRequest.Parse(headers["X-Shopify-Topic"].ToString(), body, out field, out error);
            if (request?.ShopDomain is { } bodyShop && !string.Equals(bodyShop, settings.ShopifyShopDomain, StringComparison.OrdinalIgnoreCase))
            {
                return Problems.From(new IngestError(403, "shop_domain", $"'{bodyShop}' is not this workspace's shop", "wrong_shop"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }

        if (request is null) { return Problems.From(new IngestError(400, field!, error!, "bad_privacy_request")); }
        logger.LogInformation("Shopify {Topic} for workspace {Workspace}", request.Topic, settings.Id);
        return await PrivacyActions.RunAsync(request.Topic switch
        {
            ShopifyPrivacyRequest.ShopRedactTopic => () => PrivacyActions.EraseWorkspaceAsync(erasure, settings.Id, cancellationToken),
            ShopifyPrivacyRequest.CustomerRedactTopic => () => PrivacyActions.ErasePersonAsync(erasure, settings.Id, request.Person, cancellationToken),
            _ => () => PrivacyActions.ExportAsync(erasure, exports, settings.Id, "shopify-" + (request.DataRequestId ?? "unnumbered"), request.Person, cancellationToken),
        }, context, logger);
    }
}
