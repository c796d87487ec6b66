using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Attribution over ClickHouse: the shared run (<see cref="AttributionOrchestrator"/>) over <see cref="ClickHouseRunSession"/>.
/// One worker per workspace at a time (the collector's attribution role); ingest may run on many nodes.
/// </summary>
public sealed class ClickHouseAttributionStore(ClickHouseDatabase database, StoreReadiness readiness, TimeProvider time) : OrchestratedAttributionStore
{
    /// <summary>The per-order subquery (net revenue, currency) journeys credit; the order ledger's numbers.</summary>
    internal static string Orders(string db, string ws) => OmniTrackIQ.Store.ClickHouse.Orders.OrdersSql.Orders(db, ws);

    public override async Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        return await ClickHouseRunSession.StartAsync(database, time, workspace, cancellationToken);
    }
}
