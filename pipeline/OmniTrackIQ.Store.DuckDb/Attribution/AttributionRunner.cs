using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution over the embedded store: the shared run (<see cref="AttributionOrchestrator"/>) over DuckDB
/// (<see cref="DuckDbRunSession"/>), plus the attribution tables' DDL the store's readers rely on.
/// </summary>
public sealed class AttributionRunner(DuckDbDatabase database, TimeProvider time) : OrchestratedAttributionStore
{
    private int _tablesReady;

    /// <summary>
    /// Creates the attribution tables once per process (idempotent DDL), and <c>events</c> too, so a worker
    /// that runs alone (<c>--role attribute</c>) or before the sink's first write finds it.
    /// </summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tablesReady) == 1) { return; }
        await database.WriteAsync(connection =>
        {
            using (var check = connection.CreateCommand())
            {
                check.CommandText = AttributionSchema.ResultsTableExists;
                if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    DuckDbEventStore.Execute(connection, "DROP TABLE attribution_results; DROP TABLE IF EXISTS attribution_state;");
                }
            }

            DuckDbEventStore.Execute(connection, EventsSchema.CreateEvents + AttributionSchema.Create + AttributionSchema.CreateResultsView + PathCountsTable.Create);
            return DuckDbEventStore.Execute(connection, PathCountsTable.Backfill);
        }, cancellationToken);
        Volatile.Write(ref _tablesReady, 1);
    }

    public override async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        return await DuckDbRunSession.StartAsync(database, time, workspace, cancellationToken);
    }
}
