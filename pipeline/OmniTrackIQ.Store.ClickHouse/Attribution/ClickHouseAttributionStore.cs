using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Attribution over ClickHouse: the shared run (<see cref="AttributionOrchestrator"/>) over <see cref="ClickHouseRunSession"/>.
/// One worker per workspace at a time (the collector's attribution role); ingest may run on many nodes.
/// </summary>
public sealed class ClickHouseAttributionStore : IAttributionStore, IAttributionRunStore
{
    private readonly ClickHouseDatabase _database;
    private readonly ClickHouseEventStore _events;
    private readonly TimeProvider _time;
    private readonly AttributionOrchestrator _orchestrator;

    public ClickHouseAttributionStore(ClickHouseDatabase database, ClickHouseEventStore events, TimeProvider time)
    {
        _database = database;
        _events = events;
        _time = time;
        _orchestrator = new AttributionOrchestrator(this);
    }

    /// <summary>The per-order subquery (net revenue, currency) journeys credit; the order ledger's numbers.</summary>
    internal static string Orders(string db, string ws) => OmniTrackIQ.Store.ClickHouse.Orders.OrdersSql.Orders(db, ws);

    public Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken) =>
        _orchestrator.RunAsync(workspace, settings, cancellationToken);

    public Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        _orchestrator.RecomputeAsync(workspace, settings, progress, cancellationToken);

    public Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
        IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        _orchestrator.BackfillAsync(workspace, settings, from, to, progress, cancellationToken);

    public async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        await _events.InitializeAsync(cancellationToken);
        return await ClickHouseRunSession.StartAsync(_database, _time, workspace, cancellationToken);
    }
}
