using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Runs;

/// <summary>A store's <see cref="IAttributionStore"/>: the store supplies the port (<see cref="BeginRunAsync"/>), <see cref="AttributionOrchestrator"/> the run.</summary>
public abstract class OrchestratedAttributionStore : IAttributionStore, IAttributionRunStore
{
    private readonly AttributionOrchestrator _orchestrator;

    protected OrchestratedAttributionStore() => _orchestrator = new AttributionOrchestrator(this);

    public Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken) =>
        _orchestrator.RunAsync(workspace, settings, cancellationToken);

    public Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        _orchestrator.RecomputeAsync(workspace, settings, progress, cancellationToken);

    public Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
        IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        _orchestrator.BackfillAsync(workspace, settings, from, to, progress, cancellationToken);

    public abstract Task<IAttributionRunSession> BeginRunAsync(string workspace, CancellationToken cancellationToken);
}
