using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// DDL and insert columns of the attribution tables (same names and meaning as the DuckDB store's, README "Tables").
/// ClickHouse cannot delete cheaply, so nothing is deleted: every row carries the <c>run</c> that wrote it, and a
/// read takes the rows of valid runs only — from the workspace's last full recompute (<c>base_run</c>) through its
/// last finished run (<c>run</c> in <c>attribution_state</c>), and per conversion (or person) the newest of those.
/// A crashed run's rows are above the finished run and so never read; the next run rewrites them.
/// </summary>
internal static class AttributionTables
{
    /// <summary>
    /// Each run adds the links of the events loaded since its mark; a link seen again is a row again. Reads group by
    /// the link (min first_seen), so plain MergeTree: a replacing merge would keep one row and lose the earliest time.
    /// </summary>
    public static string CreateIdentityLinks(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.identity_links (
            workspace String, id_key String, person_key String, source String, first_seen Int64, last_seen Int64, load_ms UInt64)
        ENGINE = MergeTree
        ORDER BY (workspace, id_key, person_key, source)
        """;

    /// <summary>One row per conversion and run; the current row of a conversion is its newest valid run.</summary>
    public static string CreateConversions(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.attribution_conversions (
            workspace String, conversion_id String, person String, conversion_ts Int64, revenue Float64, currency Nullable(String),
            path String, touches UInt16, miss_reason Nullable(String), run UInt64)
        ENGINE = ReplacingMergeTree(run)
        ORDER BY (workspace, conversion_id)
        """;

    /// <summary>One row per kept touch of a conversion in a run, with every heuristic model's credit (as DuckDB's attribution_touches).</summary>
    public static string CreateTouches(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.attribution_touches (
            workspace String, conversion_id String, run UInt64, touch_index UInt16, channel String, source Nullable(String),
            medium Nullable(String), campaign Nullable(String), touch_ts Int64, conversion_ts Int64, revenue Float64, channel_touches UInt16,
            {string.Join(", ", AttributionModels.Heuristics.Select(m => $"credit_{m.Name} Float64"))})
        ENGINE = MergeTree
        PARTITION BY toYYYYMM(toDateTime(intDiv(conversion_ts, 1000), 'UTC'))
        ORDER BY (workspace, conversion_id, run, touch_index)
        """;

    /// <summary>A person's paths (converting and the non-converting tail) in a run; <c>deleted</c> marks a person merged into another.</summary>
    public static string CreatePaths(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.person_paths (
            workspace String, person String, run UInt64, path String, conversions Float64, conversion_value Float64, nulls Float64, deleted UInt8)
        ENGINE = MergeTree
        ORDER BY (workspace, person, run)
        """;

    public static string CreateChannelModels(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.attribution_channel_models (
            workspace String, run UInt64, model String, channel String, weight Float64, conversions Float64, conversion_value Float64, standard_error Float64)
        ENGINE = MergeTree
        ORDER BY (workspace, run, model, channel)
        """;

    /// <summary>The people map of a run (identity key → person), joined by the journey query; one run's rows are read once.</summary>
    public static string CreatePeople(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.attribution_people (workspace String, run UInt64, k String, person String)
        ENGINE = MergeTree
        PARTITION BY intDiv(run, 86400000)
        ORDER BY (workspace, run, k)
        """;

    /// <summary>
    /// One row per finished run; the newest is the state (loaded_through: the load_ms mark; loaded_rows: the workspace's
    /// event rows then, so a row stamped below the mark still shows as new; base_run: the last full recompute).
    /// </summary>
    public static string CreateState(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.attribution_state (
            workspace String, run UInt64, base_run UInt64, loaded_through UInt64, loaded_rows UInt64, settings String, computed_at Int64)
        ENGINE = ReplacingMergeTree(run)
        ORDER BY workspace
        """;

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(20, "identity_links", db => [CreateIdentityLinks(db)]),
        new(21, "attribution_conversions", db => [CreateConversions(db)]),
        new(22, "attribution_touches", db => [CreateTouches(db)]),
        new(23, "person_paths", db => [CreatePaths(db)]),
        new(24, "attribution_channel_models", db => [CreateChannelModels(db)]),
        new(25, "attribution_people", db => [CreatePeople(db)]),
        new(26, "attribution_state", db => [CreateState(db)]),
        new(27, "attribution_path_counts", db => [PathCounts.Create(db)]),
        new(28, "attribution_model_counts", db => [ModelCounts.Create(db)]),
        EventLoads.Step,
        EventsByLoad.Step,
        LinksByPerson.Step,
    ];

    public static readonly (string Name, string Type)[] ConversionColumns =
    [
        ("workspace", "String"), ("conversion_id", "String"), ("person", "String"), ("conversion_ts", "Int64"), ("revenue", "Float64"),
        ("currency", "Nullable(String)"), ("path", "String"), ("touches", "UInt16"), ("miss_reason", "Nullable(String)"), ("run", "UInt64"),
    ];

    public static readonly (string Name, string Type)[] TouchColumns =
    [
        ("workspace", "String"), ("conversion_id", "String"), ("run", "UInt64"), ("touch_index", "UInt16"), ("channel", "String"),
        ("source", "Nullable(String)"), ("medium", "Nullable(String)"), ("campaign", "Nullable(String)"), ("touch_ts", "Int64"),
        ("conversion_ts", "Int64"), ("revenue", "Float64"), ("channel_touches", "UInt16"),
        .. AttributionModels.Heuristics.Select(m => ($"credit_{m.Name}", "Float64")),
    ];

    public static readonly (string Name, string Type)[] PathColumns =
    [
        ("workspace", "String"), ("person", "String"), ("run", "UInt64"), ("path", "String"), ("conversions", "Float64"),
        ("conversion_value", "Float64"), ("nulls", "Float64"), ("deleted", "UInt8"),
    ];

    public static readonly (string Name, string Type)[] ChannelModelColumns =
    [
        ("workspace", "String"), ("run", "UInt64"), ("model", "String"), ("channel", "String"), ("weight", "Float64"), ("conversions", "Float64"),
        ("conversion_value", "Float64"), ("standard_error", "Float64"),
    ];

    public static readonly (string Name, string Type)[] PeopleColumns = [("workspace", "String"), ("run", "UInt64"), ("k", "String"), ("person", "String")];

    public static readonly (string Name, string Type)[] StateColumns =
    [
        ("workspace", "String"), ("run", "UInt64"), ("base_run", "UInt64"), ("loaded_through", "UInt64"), ("loaded_rows", "UInt64"), ("settings", "String"),
        ("computed_at", "Int64"),
    ];
}
