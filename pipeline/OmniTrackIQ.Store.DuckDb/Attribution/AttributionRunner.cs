using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution over the embedded store: the shared run (<see cref="AttributionOrchestrator"/>) over DuckDB
/// (<see cref="DuckDbRunSession"/>). Its tables are made when the database opens (<see cref="DuckDbMigrations"/>).
/// </summary>
public sealed class AttributionRunner(DuckDbDatabase database, TimeProvider time) : OrchestratedAttributionStore
{
    public override async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        return await DuckDbRunSession.StartAsync(database, time, workspace, cancellationToken);
    }
}
