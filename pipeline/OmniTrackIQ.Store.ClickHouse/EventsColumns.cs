namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// The <c>events</c> columns with their ClickHouse types, in the order <see cref="EventRow"/> writes them (as RowBinary, typed by hand: keep the two in step). Names and
/// meaning are the DuckDB store's (README "Tables"); types are what both 18.16 and current servers have:
/// <list type="bullet">
/// <item>times (<c>ts</c>, <c>client_ts</c>, <c>received_at</c>) are Int64 epoch milliseconds UTC: 18.16 has no DateTime64, and DateTime would drop the milliseconds journeys are ordered by;</item>
/// <item>booleans are UInt8 0/1 (no Bool type on 18.16); money is Decimal(18,4) as in DuckDB;</item>
/// <item><c>load_ms</c>/<c>load_index</c> replace DuckDB's <c>load_seq</c> (see <see cref="EventsSchema"/>).</item>
/// </list>
/// </summary>
internal static class EventsColumns
{
    /// <summary>The columns schema step 1 creates, frozen with it (a released step is never edited); later ones are <see cref="Added"/>.</summary>
    private static readonly (string Name, string Type)[] Initial =
    [
        ("workspace", "String"),
        ("message_id", "String"),
        ("type", "String"),
        ("event", "Nullable(String)"),
        ("anonymous_id", "Nullable(String)"),
        ("user_id", "Nullable(String)"),
        ("ts", "Int64"),
        ("client_ts", "Nullable(Int64)"),
        ("received_at", "Int64"),
        ("properties", "Nullable(String)"),
        ("revenue", "Nullable(Decimal(18,4))"),
        ("currency", "Nullable(String)"),
        ("order_id", "Nullable(String)"),
        ("page_url", "Nullable(String)"),
        ("page_referrer", "Nullable(String)"),
        ("page_title", "Nullable(String)"),
        ("utm_source", "Nullable(String)"),
        ("utm_medium", "Nullable(String)"),
        ("utm_campaign", "Nullable(String)"),
        ("utm_term", "Nullable(String)"),
        ("utm_content", "Nullable(String)"),
        ("click_id_type", "Nullable(String)"),
        ("click_id", "Nullable(String)"),
        ("email_sha256", "Nullable(String)"),
        ("consent_analytics", "Nullable(UInt8)"),
        ("consent_ads", "Nullable(UInt8)"),
        ("gpc", "UInt8"),
        ("ip", "Nullable(String)"),
        ("user_agent", "Nullable(String)"),
        ("country", "Nullable(String)"),
        ("region", "Nullable(String)"),
        ("city", "Nullable(String)"),
        ("asn", "Nullable(UInt32)"),
        ("asn_org", "Nullable(String)"),
        ("browser", "Nullable(String)"),
        ("browser_version", "Nullable(String)"),
        ("os", "Nullable(String)"),
        ("os_version", "Nullable(String)"),
        ("device_family", "Nullable(String)"),
        ("device_brand", "Nullable(String)"),
        ("device_model", "Nullable(String)"),
        ("device_class", "Nullable(String)"),
        ("is_bot", "UInt8"),
        ("channel", "Nullable(String)"),
        ("ad_platform", "Nullable(String)"),
        ("previous_id", "Nullable(String)"),
        ("group_id", "Nullable(String)"),
        ("phone_sha256", "Nullable(String)"),
        ("flags", "Nullable(String)"),
        ("order_source", "Nullable(String)"),
        ("order_status", "Nullable(String)"),
        ("refunded", "Nullable(Decimal(18,4))"),
        ("net_revenue", "Nullable(Decimal(18,4))"),
        ("source_name", "Nullable(String)"),
        ("load_ms", "UInt64"),
        ("load_index", "UInt32"),
    ];

    /// <summary>
    /// Columns later steps add (<see cref="EventsSchema.AddColumn"/>, one <see cref="Migrations"/> step each), at the end:
    /// <c>order_updated_at</c>, epoch ms UTC, conversions' state time by the source's own clock (the ledger orders by it).
    /// </summary>
    public static readonly (string Name, string Type)[] Added =
    [
        ("order_updated_at", "Nullable(Int64)"),
    ];

    /// <summary>Every column, in the order <see cref="EventRow"/> writes them.</summary>
    public static readonly (string Name, string Type)[] All = [.. Initial, .. Added];

    public static readonly string[] Names = [.. All.Select(c => c.Name)];

    /// <summary>Schema step 1's column list (<see cref="Initial"/>).</summary>
    public static readonly string Definitions = string.Join(",\n    ", Initial.Select(c => $"{c.Name} {c.Type}"));
}
