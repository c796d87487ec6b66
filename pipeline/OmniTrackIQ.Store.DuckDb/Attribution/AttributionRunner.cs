using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution over the embedded store: the shared run (<see cref="AttributionOrchestrator"/>) over DuckDB
/// (<see cref="DuckDbRunSession"/>). Its tables are made when the database opens (<see cref="DuckDbMigrations"/>).
/// </summary>
/// <param name="recomputeRangeRows">A full run reads its journeys in ranges of people of about this many journey rows (<see cref="DuckDbStoreOptions.RecomputeRangeRows"/>).</param>
public sealed class AttributionRunner(DuckDbDatabase database, TimeProvider time, int recomputeRangeRows = DuckDbStoreOptions.DefaultRecomputeRangeRows) : OrchestratedAttributionStore
{
    public override async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        return await DuckDbRunSession.StartAsync(database, time, workspace, recomputeRangeRows, cancellationToken);
    }
}
