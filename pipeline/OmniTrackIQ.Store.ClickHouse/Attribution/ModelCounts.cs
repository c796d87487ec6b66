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
            var (removed, added) = await DeltaAsync(database, ws, run, previous!.Value, written, cancellationToken);
            // Out before in, as DuckDB's channel_model_counts: a row whose paths all left goes, and comes back with its new ones.
            foreach (var (path, totals) in removed) { counts.Add(path.Split(JourneyAttributor.Separator), totals.Conversions, totals.Value, totals.Nulls, -1); }
            foreach (var (path, totals) in added) { counts.Add(path.Split(JourneyAttributor.Separator), totals.Conversions, totals.Value, totals.Nulls, 1); }
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
    /// The written people's paths of this run (added) and their newest paths as of the last run (removed: the rows of
    /// each person's newest run up to it, none when that run marked the person merged away), summed per path in path
    /// order. One read of <c>person_paths</c> by its primary key, the runs picked here: 18.16 would run a
    /// <c>(person, run) IN (subquery)</c> again per level of nesting (measured: 0.10–0.19 s of server CPU at 1M).
    /// </summary>
    private static async Task<(SortedDictionary<string, CountTotals> Removed, SortedDictionary<string, CountTotals> Added)> DeltaAsync(
        ClickHouseDatabase database, string ws, RunState run, RunState last, IReadOnlyCollection<string> written, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, List<(ulong Run, string Path, CountTotals Totals, bool Deleted)>>(StringComparer.Ordinal);
        var people = ExternalTable.Streamed(WrittenTable, "p String", written.Select(p => new[] { p }));
        await database.ReadRowsWithTableAsync($"""
            SELECT person, run, path, conversions AS c, conversion_value AS v, nulls AS n, deleted AS d FROM {database.Name}.person_paths
            WHERE workspace = {ws} AND person IN (SELECT p FROM {WrittenTable}) AND ({last.ValidRuns()} OR run = {run.Run})
            """, people, row =>
            {
                var person = row.GetProperty("person").GetString()!;
                if (!rows.TryGetValue(person, out var own)) { rows[person] = own = []; }
                own.Add(((ulong)ClickHouseDatabase.Number(row.GetProperty("run")), row.GetProperty("path").GetString()!,
                    new CountTotals(row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble()),
                    ClickHouseDatabase.Number(row.GetProperty("d")) != 0));
            },
            cancellationToken);

        var (removed, added) = (new SortedDictionary<string, CountTotals>(StringComparer.Ordinal), new SortedDictionary<string, CountTotals>(StringComparer.Ordinal));
        foreach (var own in rows.Values)
        {
            var before = own.Where(r => r.Run <= last.Run).Select(r => r.Run).DefaultIfEmpty().Max();
            foreach (var r in own.Where(r => !r.Deleted))
            {
                if (r.Run == run.Run) { Sum(added, r.Path, r.Totals); }
                else if (r.Run == before) { Sum(removed, r.Path, r.Totals); }
            }
        }

        return (removed, added);
    }

    private static void Sum(SortedDictionary<string, CountTotals> paths, string path, CountTotals totals)
    {
        var known = paths.GetValueOrDefault(path);
        paths[path] = new CountTotals(known.Conversions + totals.Conversions, known.Value + totals.Value, known.Nulls + totals.Nulls);
    }
}
