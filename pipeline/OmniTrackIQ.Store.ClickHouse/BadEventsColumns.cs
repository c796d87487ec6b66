namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>The <c>bad_events</c> columns (DuckDB's, with times as epoch ms and a load mark for "last N" reads).</summary>
internal static class BadEventsColumns
{
    public static readonly (string Name, string Type)[] All =
    [
        ("workspace", "Nullable(String)"),
        ("payload", "String"),
        ("reason", "String"),
        ("received_at", "Int64"),
        ("event_index", "Nullable(Int32)"),
        ("field", "Nullable(String)"),
        ("load_ms", "UInt64"),
        ("load_index", "UInt32"),
    ];

    public static readonly string[] Names = [.. All.Select(c => c.Name)];

    public static readonly IReadOnlyDictionary<string, string> Types = All.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

    public static readonly string Definitions = string.Join(",\n    ", All.Select(c => $"{c.Name} {c.Type}"));
}
