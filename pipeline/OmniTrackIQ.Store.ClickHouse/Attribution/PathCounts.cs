using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The workspace's current paths (every person's newest paths of the valid runs, summed per path: what Markov and
/// Shapley are fitted over), summed from <c>person_paths</c>. Runs keep the fit's sums instead (<see cref="ModelCounts"/>),
/// built from these when there are none to carry. <c>attribution_path_counts</c> (schema step 27) kept these per run
/// until <see cref="ModelCounts"/> replaced them; no run writes or reads it now, an erasure still clears it.
/// </summary>
internal static class PathCounts
{
    public const string Table = "attribution_path_counts";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (
            workspace String, run UInt64, path String, conversions Float64, conversion_value Float64, nulls Float64)
        ENGINE = MergeTree
        PARTITION BY intDiv(run, 86400000)
        ORDER BY (workspace, run, path)
        """;

    /// <summary>The current paths once <paramref name="run"/> is recorded, ordered by path.</summary>
    public static async Task<List<PathCount>> SumAsync(ClickHouseDatabase database, string ws, RunState run, CancellationToken cancellationToken)
    {
        var paths = new List<PathCount>();
        await database.ReadRowsAsync($"""
            SELECT path, sum(conversions) AS c, sum(conversion_value) AS v, sum(nulls) AS n FROM {database.Name}.person_paths
            WHERE workspace = {ws} AND deleted = 0 AND (person, run) IN (
                SELECT person, max(run) FROM {database.Name}.person_paths WHERE workspace = {ws} AND {run.ValidRuns()} GROUP BY person)
            GROUP BY path ORDER BY path
            """,
            row => paths.Add(new PathCount(row.GetProperty("path").GetString()!.Split(JourneyAttributor.Separator),
                row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble())),
            cancellationToken);
        return paths;
    }
}
