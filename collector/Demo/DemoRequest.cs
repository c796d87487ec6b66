namespace OmniTrackIQ.Collector.Demo;

/// <summary>How a demo request authenticates, as its real sender would.</summary>
internal enum DemoAuth
{
    /// <summary>The browser's write key, in the batch body.</summary>
    WriteKey,
    /// <summary>The shop's backend: the secret key as a bearer token.</summary>
    SecretKey,
    /// <summary>Shopify: the body signed with the webhook secret (HMAC-SHA256).</summary>
    ShopifySignature,
}

/// <summary>One HTTP request of the demo history, made before any is sent so the whole plan is counted up front.</summary>
/// <param name="Auth">How it authenticates.</param>
/// <param name="Topic">The Shopify topic of a webhook delivery, else null.</param>
/// <param name="DeliveryId">A stable id for Shopify's delivery headers, so a second run is a replay, not a new delivery.</param>
internal sealed record DemoRequest(string Path, byte[] Body, DemoAuth Auth, string? Topic = null, string? DeliveryId = null);

/// <summary>What the demo history holds: the counts a seeded store must show, whatever the number of runs.</summary>
/// <param name="StoredRows">Rows the events table holds once all is stored: every browser event, and every order or refund report (each is a conversion row of the order's history).</param>
internal sealed record DemoPlan(
    IReadOnlyList<DemoRequest> Requests,
    int Visitors,
    int BrowserEvents,
    int SnippetOrders,
    int S2sOrders,
    int ShopifyOrders,
    int Refunds,
    int StoredRows,
    IReadOnlyDictionary<string, int> SpendRows,
    DateOnly FirstDay,
    DateOnly LastDay);
