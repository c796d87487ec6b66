using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Recomputes the heuristic attribution of every conversion of a workspace into <c>attribution_results</c>.
/// Conversions are events of type 'conversion' keyed by order id; a conversion's path is the same person's
/// non-bot page touches within the lookback window before it (see <see cref="TouchpointReader"/>).
/// Idempotent: the workspace's previous rows are deleted and the new ones inserted in one transaction,
/// so a re-run (or the worker racing the run endpoint) never doubles credit.
/// </summary>
public sealed class AttributionRunner
{
    private readonly DuckDbDatabase _database;
    private readonly TimeProvider _time;
    private int _tableReady;

    public AttributionRunner(DuckDbDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Full recompute for one workspace; returns the number of conversions attributed.</summary>
    public async Task<int> RunAsync(string workspace, int lookbackDays, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        List<ConversionRow> conversions;
        Dictionary<string, List<Touchpoint>> touchesByPerson;
        using (var connection = _database.OpenReader())
        {
            var people = new PersonResolver();
            TouchpointReader.LinkIdentities(connection, workspace, people);
            conversions = TouchpointReader.ReadConversions(connection, workspace, people);
            touchesByPerson = TouchpointReader.ReadTouches(connection, workspace, people);
        }

        var rows = Compute(conversions, touchesByPerson, lookbackDays);
        var computedAt = _time.GetUtcNow().UtcDateTime;
        await _database.WriteAsync(connection => Replace(connection, workspace, rows, computedAt), cancellationToken);
        return conversions.Count;
    }

    /// <summary>Creates the results table once per process (idempotent DDL).</summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tableReady) == 1) { return; }
        await _database.WriteAsync(connection => DuckDbEventStore.Execute(connection, AttributionSchema.CreateResults), cancellationToken);
        Volatile.Write(ref _tableReady, 1);
    }

    private static List<ResultRow> Compute(List<ConversionRow> conversions, Dictionary<string, List<Touchpoint>> touchesByPerson, int lookbackDays)
    {
        var lookback = TimeSpan.FromDays(lookbackDays);
        var attributor = new PathAttributor(new AttributionOptions { Lookback = lookback });
        var rows = new List<ResultRow>();
        var path = new List<Touchpoint>();
        var credits = new double[16];
        foreach (var conversion in conversions)
        {
            path.Clear();
            var earliest = conversion.TimestampMs - (long)lookback.TotalMilliseconds;
            if (touchesByPerson.TryGetValue(conversion.Person, out var touches))
            {
                foreach (var touch in touches)
                {
                    if (touch.TimestampMs >= earliest && touch.TimestampMs <= conversion.TimestampMs) { path.Add(touch); }
                }
            }

            if (credits.Length < path.Count) { credits = new double[path.Count * 2]; }
            var pathTouches = path.ToArray();
            foreach (var (name, model) in AttributionModels.All)
            {
                var span = credits.AsSpan(0, pathTouches.Length);
                span.Clear();
                var kept = pathTouches.Length == 0 ? 0 : attributor.Attribute(model, pathTouches, conversion.TimestampMs, span);
                if (kept == 0)
                {
                    rows.Add(new ResultRow(conversion, name, 0, null, 1));
                    continue;
                }

                for (var i = 0; i < pathTouches.Length; i++)
                {
                    if (span[i] > 0) { rows.Add(new ResultRow(conversion, name, i, pathTouches[i], span[i])); }
                }
            }
        }

        return rows;
    }

    private static int Replace(DuckDBConnection connection, string workspace, List<ResultRow> rows, DateTime computedAt)
    {
        using var transaction = connection.BeginTransaction();
        using (var delete = connection.CreateCommand())
        {
            // Full recompute: every conversion of the workspace is recomputed, so all its rows go.
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM attribution_results WHERE workspace = $ws";
            delete.Parameters.Add(new DuckDBParameter("ws", workspace));
            delete.ExecuteNonQuery();
        }

        using (var appender = connection.CreateAppender("attribution_results"))
        {
            foreach (var row in rows)
            {
                var conversion = row.Conversion;
                var appended = appender.CreateRow()
                    .AppendValue(workspace)
                    .AppendValue(conversion.Id)
                    .AppendValue(row.Model)
                    .AppendValue(row.TouchIndex)
                    .AppendValue(row.Touch?.Channel ?? AttributionSchema.NoTouchChannel)
                    .AppendValue(row.Touch?.Source)
                    .AppendValue(row.Touch?.Medium)
                    .AppendValue(row.Touch?.Campaign);
                appended = row.Touch is { } touch
                    ? appended.AppendValue(DateTimeOffset.FromUnixTimeMilliseconds(touch.TimestampMs).UtcDateTime)
                    : appended.AppendNullValue();
                appended
                    .AppendValue(DateTimeOffset.FromUnixTimeMilliseconds(conversion.TimestampMs).UtcDateTime)
                    .AppendValue(row.Credit)
                    .AppendValue(row.Credit * conversion.Revenue)
                    .AppendValue(computedAt)
                    .EndRow();
            }
        }

        transaction.Commit();
        return rows.Count;
    }

    private sealed record ResultRow(ConversionRow Conversion, string Model, int TouchIndex, Touchpoint? Touch, double Credit);
}
