using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>attribution_path_counts</c>: each finished run's current paths of the workspace (every person's newest paths,
/// summed per path: what Markov and Shapley are fitted over), kept under the run's number. A tick then costs its own
/// people, not the history: it takes the last run's counts and adds the difference its people made — their new paths
/// less the paths they had — instead of picking every person's newest rows of <c>person_paths</c> again. A full run, a
/// workspace whose last run left no counts (an upgraded database, an erasure) or a replica that lacks them (then
/// <see cref="ReplicaLag"/> finds it behind) sums <c>person_paths</c> as before and keeps that. Counts are whole numbers
/// and exact; a path's value may differ from a fresh sum in the last bits (additions in another order).
/// Rows of a run that never finished are never read: a run reads the counts of the run it follows only.
/// </summary>
internal static class PathCounts
{
    public const string Table = "attribution_path_counts";

    private const string WrittenTable = "written_people";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (
            workspace String, run UInt64, path String, conversions Float64, conversion_value Float64, nulls Float64)
        ENGINE = MergeTree
        PARTITION BY intDiv(run, 86400000)
        ORDER BY (workspace, run, path)
        """;

    public static readonly (string Name, string Type)[] Columns =
        [("workspace", "String"), ("run", "UInt64"), ("path", "String"), ("conversions", "Float64"), ("conversion_value", "Float64"), ("nulls", "Float64")];

    /// <summary>
    /// The current paths once <paramref name="run"/> is recorded, ordered by path, and keeps them under its number.
    /// </summary>
    /// <param name="previous">The run this one follows on a tick (null on a full run).</param>
    /// <param name="written">The people this run wrote paths for (merged-away markers included): the only ones whose paths changed.</param>
    public static async Task<List<PathCount>> CurrentAsync(ClickHouseDatabase database, string workspace, RunState run, RunState? previous,
        IReadOnlyCollection<string> written, CancellationToken cancellationToken)
    {
        var ws = SqlLiteral.String(workspace);
        var paths = new List<PathCount>();
        void Add(System.Text.Json.JsonElement row) => paths.Add(new PathCount(row.GetProperty("path").GetString()!.Split(JourneyAttributor.Separator),
            row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble()));

        if (previous is { } last && await KeptAsync(database, ws, last.Run, cancellationToken))
        {
            var people = ExternalTable.Streamed(WrittenTable, "p String", written.Select(p => new[] { p }));
            await database.ReadRowsWithTableAsync(Delta(database.Name, ws, run.Run, last), people, Add, cancellationToken);
        }
        else
        {
            await database.ReadRowsAsync(Sum(database.Name, ws, run), Add, cancellationToken);
        }

        // One insert, one part: a replica has all of a run's counts or none (ReplicaLag counts the rows).
        await database.InsertAsync(Table, Columns,
            paths.Select(p => new object?[] { workspace, run.Run, string.Join(JourneyAttributor.Separator, p.Channels), p.Conversions, p.Value, p.Nulls }), cancellationToken);
        return paths;
    }

    private static async Task<bool> KeptAsync(ClickHouseDatabase database, string ws, ulong run, CancellationToken cancellationToken)
    {
        var rows = 0L;
        await database.ReadRowsAsync($"SELECT count() AS n FROM {database.Name}.{Table} WHERE workspace = {ws} AND run = {run}",
            row => rows = ClickHouseDatabase.Number(row.GetProperty("n")), cancellationToken);
        return rows > 0;
    }

    /// <summary>Every person's newest paths of the valid runs, merged-away people left out, summed per path.</summary>
    private static string Sum(string db, string ws, RunState run) => $"""
        SELECT path, sum(conversions) AS c, sum(conversion_value) AS v, sum(nulls) AS n FROM {db}.person_paths
        WHERE workspace = {ws} AND deleted = 0 AND (person, run) IN (
            SELECT person, max(run) FROM {db}.person_paths WHERE workspace = {ws} AND {run.ValidRuns()} GROUP BY person)
        GROUP BY path ORDER BY path
        """;

    /// <summary>
    /// The last run's counts, plus the written people's paths of this run, less their newest paths as of the last run;
    /// a path whose counts come to nothing is gone. Inner names differ from the outer aliases (18.16 resolves an alias first).
    /// </summary>
    private static string Delta(string db, string ws, ulong run, RunState last)
    {
        var written = $"person IN (SELECT p FROM {WrittenTable})";
        return $"""
            SELECT path, sum(pc) AS c, sum(pv) AS v, sum(pn) AS n FROM (
                SELECT path, conversions AS pc, conversion_value AS pv, nulls AS pn FROM {db}.{Table} WHERE workspace = {ws} AND run = {last.Run}
                UNION ALL
                SELECT path, conversions, conversion_value, nulls FROM {db}.person_paths WHERE workspace = {ws} AND {written} AND run = {run} AND deleted = 0
                UNION ALL
                SELECT path, -conversions, -conversion_value, -nulls FROM {db}.person_paths
                WHERE workspace = {ws} AND {written} AND deleted = 0 AND (person, run) IN (
                    SELECT person, max(run) FROM {db}.person_paths WHERE workspace = {ws} AND {written} AND {last.ValidRuns()} GROUP BY person))
            GROUP BY path HAVING c != 0 OR n != 0 ORDER BY path
            """;
    }
}
