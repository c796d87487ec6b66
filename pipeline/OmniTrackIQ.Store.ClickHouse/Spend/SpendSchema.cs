namespace OmniTrackIQ.Store.ClickHouse.Spend;

/// <summary>
/// <c>ad_spend</c>: the DuckDB table's columns (DESIGN "Tables") plus <c>version</c>. An import never rewrites
/// rows: it inserts the keys it carries again with a newer version, and every read takes the newest version
/// per key (argMax), so the result is exact before any merge. ReplacingMergeTree(version) on the key only
/// reclaims the space of replaced rows. No partitions: spend is small, and a file spanning years must not make
/// one part per month (max_partitions_per_insert_block).
/// </summary>
internal static class SpendSchema
{
    public static readonly (string Name, string Type)[] All =
    [
        ("workspace", "String"),
        ("date", "Date"),
        ("platform", "String"),
        ("channel", "String"),
        ("campaign", "String"),
        ("spend", "Decimal(18,4)"),
        ("currency", "String"),
        ("impressions", "Nullable(Int64)"),
        ("clicks", "Nullable(Int64)"),
        ("version", "UInt64"),
    ];

    public static readonly string[] Names = [.. All.Select(c => c.Name)];

    /// <summary>For <c>InsertOptions.ColumnTypes</c> (18.16 cannot answer the driver's schema probe).</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = All.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

    public static string CreateAdSpend(string database) => $"""
        CREATE TABLE IF NOT EXISTS {database}.ad_spend (
            {string.Join(",\n    ", All.Select(c => $"{c.Name} {c.Type}"))}
        )
        ENGINE = ReplacingMergeTree(version)
        ORDER BY (workspace, date, platform, campaign)
        """;

    /// <summary>
    /// The current rows of one workspace: one per key, the newest version's values. Columns: date, platform,
    /// campaign, channel, spend, currency, impressions, clicks. (Aliases differ from the column names: 18.16
    /// reads an alias that shadows its own argument as a cyclic alias.)
    /// </summary>
    public static string Current(string database, string workspaceLiteral, string dateFilter = "") => $"""
        SELECT date, platform, campaign,
               argMax(channel, version) AS current_channel,
               argMax(spend, version) AS current_spend,
               argMax(currency, version) AS current_currency,
               argMax(tuple(impressions, clicks), version) AS current_counts
        FROM {database}.ad_spend
        WHERE workspace = {workspaceLiteral} {dateFilter}
        GROUP BY date, platform, campaign
        """;
}
