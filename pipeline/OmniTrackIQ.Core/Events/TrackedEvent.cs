namespace OmniTrackIQ.Pipeline.Events;

/// <summary>
/// One event as it travels from validation through enrichment to the spool and the store.
/// The parser fills the client fields; the collector fills <see cref="Workspace"/>, times and
/// request facts; enrichers fill the enriched fields. Mutable on purpose: one instance per event,
/// no copies on the hot path.
/// </summary>
public sealed class TrackedEvent
{
    // ---- identity and client fields (wire format) ----
    public string Workspace { get; set; } = "";
    public EventType Type { get; set; }
    public string MessageId { get; set; } = "";
    public string? AnonymousId { get; set; }
    public string? UserId { get; set; }
    /// <summary>Event name for track events (e.g. add_to_cart).</summary>
    public string? Event { get; set; }
    /// <summary>Client clock, as sent.</summary>
    public DateTimeOffset? Timestamp { get; set; }
    /// <summary><c>properties</c> as compact JSON text (null when absent).</summary>
    public string? PropertiesJson { get; set; }
    public decimal? Revenue { get; set; }
    public string? Currency { get; set; }
    public string? OrderId { get; set; }

    public string? PageUrl { get; set; }
    public string? PageReferrer { get; set; }
    public string? PageTitle { get; set; }

    public string? UtmSource { get; set; }
    public string? UtmMedium { get; set; }
    public string? UtmCampaign { get; set; }
    public string? UtmTerm { get; set; }
    public string? UtmContent { get; set; }

    /// <summary>Name of the ad click id that came with the event (gclid, fbclid, ...), first one wins.</summary>
    public string? ClickIdType { get; set; }
    public string? ClickId { get; set; }

    /// <summary>Clear-text email from traits; the privacy enricher hashes it into <see cref="EmailSha256"/> and clears this. Never spooled.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EmailClearText { get; set; }
    public string? EmailSha256 { get; set; }

    /// <summary>Clear-text phone from traits; the privacy enricher hashes its E.164 form into <see cref="PhoneSha256"/> and clears this. Never spooled.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? PhoneClearText { get; set; }
    public string? PhoneSha256 { get; set; }

    /// <summary>Conversions: who reported the order (<c>pixel</c>, <c>s2s</c>, <c>shopify</c>); the ledger ranks them.</summary>
    public string? OrderSource { get; set; }
    /// <summary>Conversions: paid, pending, cancelled, refunded or partially_refunded, as this report says.</summary>
    public string? OrderStatus { get; set; }
    /// <summary>Conversions: refunds this report knows of (shop currency).</summary>
    public decimal? Refunded { get; set; }
    /// <summary>Conversions: the order's current total after refunds and edits, when the source says it.</summary>
    public decimal? NetRevenue { get; set; }
    /// <summary>Conversions: when the reported state became current by the source's own clock (OrderReport.UpdatedAt); orders a source's reports.</summary>
    public DateTimeOffset? OrderUpdatedAt { get; set; }
    /// <summary>Conversions: the shop's sales channel (Shopify <c>source_name</c>: web, pos, shopify_draft_order, …).</summary>
    public string? SourceName { get; set; }

    /// <summary>Alias: the id the person was known by before (an anonymous id or an earlier user id).</summary>
    public string? PreviousId { get; set; }
    /// <summary>Group: the account the user belongs to.</summary>
    public string? GroupId { get; set; }

    /// <summary>
    /// <c>context.ip</c>: the visitor's address as a server-side client reports it. Replaces the connection's
    /// address for geo and anonymisation; never spooled (only the anonymised <see cref="Ip"/> is).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public System.Net.IPAddress? ContextIp { get; set; }

    /// <summary>
    /// What ingest changed on the way in, comma-separated: <c>truncated:context.page.title</c> for free text cut
    /// at its limit, <c>dropped:traits.phone</c> for a value that could not be used,
    /// <c>implausible_timestamp:batch[0].timestamp</c> for a time outside <see cref="Ingest.PlausibleTime"/> (replaced by the received time). Null when nothing was.
    /// </summary>
    public string? Flags { get; set; }

    /// <summary>Client send time for this event (its own <c>sentAt</c>, else the batch's): input to skew correction, not stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Where <see cref="Timestamp"/> came from (<c>batch[3].timestamp</c>, pixel <c>ts</c>), named by the
    /// <c>implausible_timestamp:</c> flag when the time is replaced; a path, not text, so the hot path builds none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Ingest.FieldPath TimestampField { get; set; }

    /// <summary>Position in its request's batch, and where its JSON lies in the body: for naming and keeping a rejection.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int BatchIndex { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Range Source { get; set; }

    /// <summary>Adds one entry to <see cref="Flags"/>.</summary>
    public void Flag(string entry) => Flags = Flags is null ? entry : Flags + "," + entry;

    public bool? ConsentAnalytics { get; set; }
    public bool? ConsentAds { get; set; }

    // ---- server fields ----
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>Server time: client timestamp corrected by (receivedAt - sentAt); receivedAt when the client sent none.</summary>
    public DateTimeOffset Ts { get; set; }
    /// <summary>Sec-GPC: 1 was on the request.</summary>
    public bool GlobalPrivacyControl { get; set; }
    /// <summary>Anonymised client IP (never the raw one).</summary>
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }

    // ---- enrichment ----
    public string? Country { get; set; }
    public string? Region { get; set; }
    public string? City { get; set; }
    public uint? Asn { get; set; }
    public string? AsnOrganization { get; set; }

    public string? Browser { get; set; }
    public string? BrowserVersion { get; set; }
    public string? Os { get; set; }
    public string? OsVersion { get; set; }
    public string? DeviceFamily { get; set; }
    public string? DeviceBrand { get; set; }
    public string? DeviceModel { get; set; }
    /// <summary>desktop, mobile, tablet, bot or other.</summary>
    public string? DeviceClass { get; set; }
    public bool IsBot { get; set; }

    /// <summary>GA4-style default channel group (Direct, Organic Search, Paid Search, ...).</summary>
    public string? Channel { get; set; }
    /// <summary>Ad platform behind a click id (Google Ads, Meta, ...).</summary>
    public string? AdPlatform { get; set; }
}
