namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>Who reported an order; a higher value is more authoritative (webhook > S2S > pixel).</summary>
public enum OrderSource : byte { Pixel = 1, ServerToServer = 2, ShopifyWebhook = 3 }

/// <summary>One report of an order by one source, before it becomes a stored conversion event.</summary>
public sealed record OrderReport
{
    /// <summary>Shopify: the numeric order id as its exact decimal text (never via double).</summary>
    public required string OrderId { get; init; }
    /// <summary>When the order was placed (created_at / processed_at).</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>
    /// When the state this report describes became current, by the source's own clock (Shopify <c>updated_at</c>; S2S
    /// <c>updatedAt</c>); null when the report does not say (then its arrival orders it). Within one source the ledger
    /// takes the report with the latest such time, so an old report delivered late (or replayed) cannot undo a newer one.
    /// </summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>total_price (shop currency).</summary>
    public decimal? Gross { get; init; }
    /// <summary>Sum of successful refund transactions known in this report.</summary>
    public decimal Refunded { get; init; }
    /// <summary>current_total_price when the source says it, else null (then Gross − Refunded).</summary>
    public decimal? Net { get; init; }
    /// <summary>Shop currency, upper-case ISO 4217.</summary>
    public string? Currency { get; init; }
    public string? PresentmentCurrency { get; init; }
    public decimal? PresentmentGross { get; init; }
    /// <summary>"paid" | "pending" | "cancelled" | "refunded" | "partially_refunded".</summary>
    public required string Status { get; init; }
    /// <summary>The _otq_id cart attribute (note_attributes) or an explicit anonymous id.</summary>
    public string? AnonymousId { get; init; }
    /// <summary>Shopify: customer.id as exact decimal text.</summary>
    public string? UserId { get; init; }
    /// <summary>Hashed by the collector, never stored.</summary>
    public string? EmailClearText { get; init; }
    public string? EmailSha256 { get; init; }
    public string? PhoneClearText { get; init; }
    /// <summary>landing_site (may be a path like "/?utm_source=x"); the collector parses UTMs and click ids from it.</summary>
    public string? LandingUrl { get; init; }
    /// <summary>referring_site.</summary>
    public string? Referrer { get; init; }
    public string? CartToken { get; init; }
    public string? CheckoutToken { get; init; }
    /// <summary>web, pos, shopify_draft_order, subscription app ids…</summary>
    public string? SourceName { get; init; }
    /// <summary>The _otq_first_touch cart attribute, as sent.</summary>
    public string? FirstTouch { get; init; }
    /// <summary>The _otq_last_touch cart attribute, as sent.</summary>
    public string? LastTouch { get; init; }
    /// <summary>line_items reduced to [{id, product_id, variant_id, sku, title, quantity, price}] as compact JSON.</summary>
    public string? LineItemsJson { get; init; }
    /// <summary>An ad click id the server saw with the order (S2S <c>clickIds</c>), by name (gclid, fbclid, …).</summary>
    public string? ClickIdType { get; init; }
    public string? ClickId { get; init; }
    /// <summary>Set for a refunds/create report.</summary>
    public string? RefundId { get; init; }
}
