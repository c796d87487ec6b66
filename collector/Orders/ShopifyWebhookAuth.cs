using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// What every Shopify webhook route checks, order topics and compliance topics alike: the workspace exists and has a
/// webhook secret (before the body is read), then the HMAC over the raw bytes and the shop (before it is parsed).
/// </summary>
internal static class ShopifyWebhookAuth
{
    /// <summary>The workspace named in the URL, or the 404/401 problem to answer.</summary>
    public static (WorkspaceSettings? Settings, IResult? Refusal) Workspace(WorkspaceRegistry workspaces, string workspace)
    {
        var settings = workspaces.ById(workspace);
        if (settings is null) { return (null, Problems.From(new IngestError(404, "workspace", "no such workspace", "unknown_workspace"))); }
        return string.IsNullOrEmpty(settings.ShopifyWebhookSecret)
            ? (null, Problems.From(new IngestError(401, "X-Shopify-Hmac-Sha256", "this workspace has no ShopifyWebhookSecret configured", "webhook_secret_missing")))
            : (settings, null);
    }

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
