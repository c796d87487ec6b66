using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// What every Shopify webhook route checks, order topics and compliance topics alike: the workspace exists and has a
/// webhook secret (the route group's filter, before the body is read), then the HMAC over the raw bytes and the shop
/// (before it is parsed).
/// </summary>
internal static class ShopifyWebhookAuth
{
    private static readonly object s_workspaceKey = new();

    /// <summary>
    /// The webhook routes' group (<c>/v1/webhooks/shopify</c>, each route under <c>/{workspace}</c>): the workspace named in the URL must exist
    /// (404) and have a webhook secret (401), checked as an endpoint filter before any handler reads the body.
    /// </summary>
    public static RouteGroupBuilder MapShopifyWebhookGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1/webhooks/shopify").AddEndpointFilter(static (context, next) =>
        {
            var http = context.HttpContext;
            var settings = http.RequestServices.GetRequiredService<WorkspaceRegistry>().ById(http.Request.RouteValues["workspace"] as string);
            if (settings is null) { return ValueTask.FromResult<object?>(Problems.From(new IngestError(404, "workspace", "no such workspace", "unknown_workspace"))); }
            if (string.IsNullOrEmpty(settings.ShopifyWebhookSecret))
            {
                return ValueTask.FromResult<object?>(Problems.From(new IngestError(401, "X-Shopify-Hmac-Sha256", "this workspace has no ShopifyWebhookSecret configured", "webhook_secret_missing")));
            }

            http.Items[s_workspaceKey] = settings;
            return next(context);
        });

    /// <summary>The workspace the group's filter found, with its webhook secret.</summary>
    public static WorkspaceSettings ShopifyWorkspace(this HttpContext context) =>
        context.Items[s_workspaceKey] as WorkspaceSettings ?? throw new InvalidOperationException("this route is not in the Shopify webhook group (MapShopifyWebhookGroup)");

    /// <summary>Null when the body is signed with the workspace's secret and comes from its shop; else why not (401, 403).</summary>
    public static IngestError? Verify(ReadOnlySpan<byte> body, IHeaderDictionary headers, WorkspaceSettings settings)
    {
        if (!ShopifyHmac.IsValid(body, headers["X-Shopify-Hmac-Sha256"].ToString(), settings.ShopifyWebhookSecret!))
        {
            return new IngestError(401, "X-Shopify-Hmac-Sha256", "missing or wrong signature: nothing was kept", "bad_signature");
        }

        var shop = headers["X-Shopify-Shop-Domain"].ToString();
        return string.Equals(shop, settings.ShopifyShopDomain, StringComparison.OrdinalIgnoreCase)
            ? null
            : new IngestError(403, "X-Shopify-Shop-Domain", $"'{shop}' is not this workspace's shop", "wrong_shop");
    }
}
