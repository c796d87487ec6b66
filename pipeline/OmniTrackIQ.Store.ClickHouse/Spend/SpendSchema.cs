namespace OmniTrackIQ.Store.ClickHouse.Spend;

/// <summary>
/// <c>ad_spend</c>: the DuckDB table's columns (DESIGN "Tables") plus <c>version</c>. An import never rewrites
/// rows: it inserts the rows it carries with a newer version, and every read takes, of each campaign's day, the
/// rows of the newest version (<see cref="Current"/>), so the result is exact before any merge.
/// ReplacingMergeTree(version) on the row key only reclaims the space of replaced rows. No partitions: spend is small, and a file spanning years must not make
/// one part per month (max_partitions_per_insert_block).
/// </summary>
internal static class SpendSchema
{
    /// <summary>The table as migration 10 made it; a released step's DDL never changes.</summary>
    private static readonly (string Name, string Type)[] s_original =
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

    /// <summary>Added by migration 12: the platform's campaign id, ad group and ad, and the currency flag (SpendRow).</summary>
    private static readonly (string Name, string Type)[] s_levels =
    [
        ("campaign_id", "String"),
        ("ad_group_id", "String"),
        ("ad_group", "String"),
        ("ad_id", "String"),
        ("ad", "String"),
        ("currency_flagged", "UInt8"),
    ];

    public static readonly (string Name, string Type)[] All = [.. s_original, .. s_levels];

    public static readonly string[] Names = [.. All.Select(c => c.Name)];

    /// <summary>For <c>InsertOptions.ColumnTypes</c> (18.16 cannot answer the driver's schema probe).</summary>
    public static readonly IReadOnlyDictionary<string, string> Types = All.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

    public static string CreateAdSpend(string database) => $"""
        CREATE TABLE IF NOT EXISTS {database}.ad_spend (
            {string.Join(",\n    ", s_original.Select(c => $"{c.Name} {c.Type}"))}
        )
        ENGINE = ReplacingMergeTree(version)
        ORDER BY (workspace, date, platform, campaign)
        """;

    /// <summary>The sorting key from migration 12 on: the replacing merge keeps each ad group's and ad's row.</summary>
    private const string LevelsKey = "(workspace, date, platform, campaign, campaign_id, ad_group_id, ad_id)";

    /// <summary>Migration 10 on a cluster: the table at migration 12's shape, which a cluster cannot reach by ALTER on 18.16.</summary>
    public static string CreateAdSpendWithLevels(string database) => $"""
        CREATE TABLE IF NOT EXISTS {database}.ad_spend (
            {string.Join(",\n    ", All.Select(c => $"{c.Name} {c.Type}"))}
        )
        ENGINE = ReplacingMergeTree(version)
        ORDER BY {LevelsKey}
        """;

    /// <summary>
    /// Migration 12: the level columns, and the sorting key extended by them so that the replacing merge keeps each ad
    /// group's and ad's row (on the old key it would fold a campaign's ads into one). One statement: 18.16 only lets
    /// the key take columns added in the same ALTER, without defaults (measured). Re-run, its first ADD COLUMN answers
    /// "already exists", which the runner takes as applied.
    /// </summary>
    public static string AddLevels(string database) =>
        $"ALTER TABLE {database}.ad_spend {string.Join(", ", s_levels.Select(c => $"ADD COLUMN {c.Name} {c.Type}"))}, " +
        $"MODIFY ORDER BY {LevelsKey}";

    /// <summary>
    /// What one import replaces: a campaign's day (date, platform, campaign id, or the name when there is no id).
    /// The key's form in SQL, shared by the current-row filter.
    /// </summary>
    private const string ReplaceKey = "date, platform, campaign_id, if(campaign_id = '', campaign, '')";

    /// <summary>
    /// The current rows of one workspace: of each campaign's day, the rows of its newest import (an import replaces a
    /// campaign's day whole, whatever ad groups and ads the older one had). Columns: date, platform, campaign,
    /// campaign_id, ad_group_id, ad_group, ad_id, ad, current_channel, current_spend, current_currency, current_counts
    /// (impressions, clicks), current_flagged. (Aliases differ from the column names: 18.16 reads an alias that shadows
    /// its own argument as a cyclic alias.)
    /// </summary>
    public static string Current(string database, string workspaceLiteral, string dateFilter = "") => $"""
        SELECT date, platform, campaign, campaign_id, ad_group_id, ad_group, ad_id, ad,
               channel AS current_channel, spend AS current_spend, currency AS current_currency,
               tuple(impressions, clicks) AS current_counts, currency_flagged AS current_flagged
        FROM {database}.ad_spend
        WHERE workspace = {workspaceLiteral} {dateFilter}
          AND ({ReplaceKey}, version) IN (
              SELECT {ReplaceKey}, max(version) FROM {database}.ad_spend
              WHERE workspace = {workspaceLiteral} {dateFilter}
              GROUP BY {ReplaceKey})
        """;
}
