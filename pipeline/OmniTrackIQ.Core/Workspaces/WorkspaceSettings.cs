namespace OmniTrackIQ.Pipeline.Workspaces;

/// <summary>One workspace (a shop) as configured under <c>OmniTrack:Workspaces</c>.</summary>
public sealed class WorkspaceSettings
{
    public string Id { get; set; } = "";
    /// <summary>Public write key used by the browser snippet.</summary>
    public string WriteKey { get; set; } = "";
    /// <summary>SHA-256 (lower-case hex) of the secret key used by server-to-server calls; the key itself is never stored.</summary>
    public string? SecretKeySha256 { get; set; }
    /// <summary>Browser origins allowed by CORS on the browser endpoints (e.g. https://shop.example).</summary>
    public List<string> AllowedOrigins { get; set; } = [];
    /// <summary>SHA-256 (lower-case hex) of each read token allowed to query this workspace.</summary>
    public List<string> ReadTokenSha256 { get; set; } = [];
    /// <summary>The shop's own hosts: a referrer from one of these is not a referral (self-referral).</summary>
    public List<string> OwnDomains { get; set; } = [];
    /// <summary>Bits of an IPv4 address kept after anonymisation (default /24).</summary>
    public int IpV4PrefixLength { get; set; } = 24;
    /// <summary>Bits of an IPv6 address kept after anonymisation (default /48).</summary>
    public int IpV6PrefixLength { get; set; } = 48;
    /// <summary>Reject events whose consent.analytics is not true.</summary>
    public bool RequireAnalyticsConsent { get; set; }
    /// <summary>The shop's currency (ISO 4217); ad spend in another currency is kept but flagged, not summed. Unset: nothing is flagged.</summary>
    public string? Currency { get; set; }
    /// <summary>Attribution lookback window in days (0 = any age).</summary>
    public int LookbackDays { get; set; } = 30;
    /// <summary>Attribution: ignore direct, organic and e-mail touches when a path has a paid one.</summary>
    public bool PaidClicksFirst { get; set; }
    /// <summary>
    /// Shopify's webhook signing secret (the app's client secret, or the one shown for webhooks made in the admin), in
    /// clear because HMAC needs the secret itself: configure it from an environment variable or a secret store
    /// (<c>OmniTrack__Workspaces__0__ShopifyWebhookSecret</c>), never in a committed file. Unset: webhooks are refused.
    /// </summary>
    public string? ShopifyWebhookSecret { get; set; }
    /// <summary>The shop's <c>*.myshopify.com</c> domain; a webhook whose X-Shopify-Shop-Domain differs is refused (403).</summary>
    public string? ShopifyShopDomain { get; set; }
    /// <summary>Order (1–4) of the worker's Markov model.</summary>
    public int MarkovOrder { get; set; } = 1;
    /// <summary>Events per second the write key may send (bursts of two seconds' worth pass); 0 = no limit.</summary>
    public int EventsPerSecond { get; set; } = 2000;
    /// <summary>Requests per second on the secret-key routes (bursts of two seconds' worth pass); 0 = no limit.</summary>
    public int SecretKeyRequestsPerSecond { get; set; } = 20;
    /// <summary>Requests per second each read token may make on the analyst routes (bursts of two seconds' worth pass); 0 = no limit.</summary>
    public int ReadTokenRequestsPerSecond { get; set; } = 20;
}
