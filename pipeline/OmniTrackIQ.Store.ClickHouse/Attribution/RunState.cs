namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// A workspace's newest <c>attribution_state</c> row: the last finished run, the last full recompute (rows of earlier
/// runs are void), the <c>load_ms</c> mark the results cover and the settings they were computed with. A workspace that
/// never ran has run 0: no row of any run is valid yet.
/// </summary>
internal readonly record struct RunState(ulong Run, ulong BaseRun, ulong LoadedThrough, ulong LoadedRows, string? Settings)
{
    public static readonly RunState None = new(0, 0, 0, 0, null);

    public bool Exists => Run > 0;

    /// <summary>The SQL condition "this row's run is valid" for a table's <c>run</c> column.</summary>
    public string ValidRuns(string column = "run") => $"{column} >= {BaseRun} AND {column} <= {Run}";

    public static async Task<RunState> ReadAsync(ClickHouseDatabase database, string ws, CancellationToken cancellationToken)
    {
        var state = None;
        await database.ReadRowsAsync($"""
            SELECT max(run) AS last_run, argMax(base_run, run) AS last_base_run, argMax(loaded_through, run) AS last_through, argMax(loaded_rows, run) AS last_rows,
                   argMax(settings, run) AS last_settings, count() AS n
            FROM {database.Name}.attribution_state WHERE workspace = {ws}
            """,
            row =>
            {
                if (ClickHouseDatabase.Number(row.GetProperty("n")) == 0) { return; }
                state = new RunState((ulong)ClickHouseDatabase.Number(row.GetProperty("last_run")), (ulong)ClickHouseDatabase.Number(row.GetProperty("last_base_run")),
                    (ulong)ClickHouseDatabase.Number(row.GetProperty("last_through")), (ulong)ClickHouseDatabase.Number(row.GetProperty("last_rows")),
                    row.GetProperty("last_settings").GetString());
            },
            cancellationToken);
        return state;
    }

    /// <summary>The current row per conversion: its newest valid run (use as <c>(conversion_id, run) IN (…)</c>).</summary>
    public string CurrentConversions(string db, string ws) =>
        $"SELECT conversion_id, max(run) FROM {db}.attribution_conversions WHERE workspace = {ws} AND {ValidRuns()} GROUP BY conversion_id";
}
