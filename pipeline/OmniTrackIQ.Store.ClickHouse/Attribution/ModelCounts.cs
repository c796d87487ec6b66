using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// <c>attribution_model_counts</c>: each finished run's <see cref="ChannelModelCounts"/> — the sums over the workspace's
/// current paths Markov (of the order it was fitted with) and Shapley are fitted from: a few rows per channel and state
/// (some hundreds at 1M conversions, against 92.6k distinct paths), kept under the run's number. A tick takes the counts
/// of the run it follows and moves them by the difference its people made — their paths of this run in, their newest
/// paths as of that run out (people merged away included) — so it reads, fits and writes what is as small as the
/// channels, not every path. A full run, a workspace whose last run left none (an upgraded database, an erasure) or of
/// another Markov order, or a replica that lacks them (then <see cref="ReplicaLag"/> finds it behind) builds them from
/// every person's newest paths (<see cref="PathCounts"/>) and keeps that. Conversions and nulls are whole numbers and
/// exact; a value may differ from a fresh sum in the last bits. A run reads only the counts of the run it follows, so
/// a crashed run's rows are never read.
/// </summary>
internal static class ModelCounts
{
    public const string Table = "attribution_model_counts";

    private const string WrittenTable = "written_people";

    public static string Create(string db) => $"""
        CREATE TABLE IF NOT EXISTS {db}.{Table} (
            workspace String, run UInt64, markov_order UInt8, kind UInt8, from_state String, to_state String,
            conversions Float64, conversion_value Float64, nulls Float64)
        ENGINE = MergeTree
        PARTITION BY intDiv(run, 86400000)
        ORDER BY (workspace, run, kind, from_state, to_state)
        """;

    private static readonly (string Name, string Type)[] s_columns =
    [
        ("workspace", "String"), ("run", "UInt64"), ("markov_order", "UInt8"), ("kind", "UInt8"), ("from_state", "String"), ("to_state", "String"),
        ("conversions", "Float64"), ("conversion_value", "Float64"), ("nulls", "Float64"),
    ];

    /// <summary>The counts once <paramref name="run"/> is recorded, kept under its number.</summary>
    /// <param name="previous">The run this one follows on a tick (null on a full run).</param>
    /// <param name="written">The people this run wrote paths for (merged-away markers included): the only ones whose paths changed.</param>
    public static async Task<ChannelModelCounts> CurrentAsync(ClickHouseDatabase database, string workspace, RunState run, RunState? previous,
        IReadOnlyCollection<string> written, int markovOrder, CancellationToken cancellationToken)
    {
        var ws = SqlLiteral.String(workspace);
        var counts = previous is { } last ? await KeptAsync(database, ws, last.Run, markovOrder, cancellationToken) : null;
        if (counts is null)
        {
            counts = ChannelModelCounts.Of(await PathCounts.SumAsync(database, ws, run, cancellationToken), markovOrder);
        }
        else if (written.Count > 0)
        {
            var (removed, added) = (new List<PathCount>(), new List<PathCount>());
            var people = ExternalTable.Streamed(WrittenTable, "p String", written.Select(p => new[] { p }));
            await database.ReadRowsWithTableAsync(Delta(database.Name, ws, run.Run, previous!.Value, prewhere: database.Options.Cluster is null), people, row =>
                (ClickHouseDatabase.Number(row.GetProperty("s")) > 0 ? added : removed).Add(new PathCount(
                    row.GetProperty("path").GetString()!.Split(JourneyAttributor.Separator),
                    row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble())),
                cancellationToken);
            // Out before in, as DuckDB's channel_model_counts: a row whose paths all left goes, and comes back with its new ones.
            foreach (var path in removed) { counts.Add(path.Channels, path.Conversions, path.Value, path.Nulls, -1); }
            foreach (var path in added) { counts.Add(path.Channels, path.Conversions, path.Value, path.Nulls, 1); }
        }

        // One insert, one part: a replica has all of a run's counts or none (ReplicaLag counts the rows). The total row is
        // always among them, so kept counts are never mistaken for none.
        await database.InsertAsync(Table, s_columns, counts.Rows.Select(r => new object?[]
        {
            workspace, run.Run, (byte)markovOrder, (byte)r.Key.Kind, r.Key.From, r.Key.To, r.Value.Conversions, r.Value.Value, r.Value.Nulls,
        }), cancellationToken);
        return counts;
    }

    /// <summary>The counts <paramref name="run"/> kept, or null when it kept none or kept them for another Markov order.</summary>
    private static async Task<ChannelModelCounts?> KeptAsync(ClickHouseDatabase database, string ws, ulong run, int markovOrder, CancellationToken cancellationToken)
    {
        var rows = new List<KeyValuePair<CountKey, CountTotals>>();
        var otherOrder = false;
        await database.ReadRowsAsync($"""
            SELECT markov_order AS o, kind AS k, from_state AS f, to_state AS t, conversions AS c, conversion_value AS v, nulls AS n
            FROM {database.Name}.{Table} WHERE workspace = {ws} AND run = {run}
            """,
            row =>
            {
                otherOrder |= ClickHouseDatabase.Number(row.GetProperty("o")) != markovOrder;
                rows.Add(new(new CountKey((CountKind)ClickHouseDatabase.Number(row.GetProperty("k")), row.GetProperty("f").GetString()!, row.GetProperty("t").GetString()!),
                    new CountTotals(row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble())));
            },
            cancellationToken);
        return rows.Count == 0 || otherOrder ? null : ChannelModelCounts.FromRows(markovOrder, rows);
    }

    /// <summary>
    /// The written people's paths of this run (<c>s</c> = 1) and their newest paths as of the last run (<c>s</c> = -1),
    /// summed per path. Inner names differ from the outer aliases (18.16 resolves an alias first).
    /// <para>
    /// On a single server the written people are read first (PREWHERE on <c>person</c>), the paths only for their rows: a
    /// tick's people fall in a granule of each part, mostly other people's rows (measured at 1M: 21–51 → 11–24 ms of CPU, the
    /// same rows out; bench/RESULTS.md, issue 21 on ClickHouse, session 15). Not on a cluster, whose tables are Distributed.
    /// </para>
    /// </summary>
    private static string Delta(string db, string ws, ulong run, RunState last, bool prewhere)
    {
        var written = $"person IN (SELECT p FROM {WrittenTable})";
        var where = prewhere ? $"PREWHERE {written} WHERE workspace = {ws}" : $"WHERE workspace = {ws} AND {written}";
        return $"""
            SELECT s, path, sum(pc) AS c, sum(pv) AS v, sum(pn) AS n FROM (
                SELECT toInt8(1) AS s, path, conversions AS pc, conversion_value AS pv, nulls AS pn FROM {db}.person_paths
                {where} AND run = {run} AND deleted = 0
                UNION ALL
                SELECT toInt8(-1), path, conversions, conversion_value, nulls FROM {db}.person_paths
                {where} AND deleted = 0 AND (person, run) IN (
                    SELECT person, max(run) FROM {db}.person_paths {where} AND {last.ValidRuns()} GROUP BY person))
            GROUP BY s, path ORDER BY s, path
            """;
    }
}
