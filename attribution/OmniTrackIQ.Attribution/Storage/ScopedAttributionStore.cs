namespace OmniTrackIQ.Attribution.Storage;

/// <summary>What a run recomputes: what changed since the last run, everything, or the people converting in a range (plus what changed).</summary>
public enum RunScope
{
    Changed,
    All,
    Range,
}

/// <summary>
/// The three ways of driving a store's attribution (<see cref="IAttributionStore"/>) mapped onto one run of a
/// <see cref="RunScope"/>, the same for every store; a store implements only the run.
/// </summary>
public abstract class ScopedAttributionStore : IAttributionStore
{
    public Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken) =>
        RunCoreAsync(workspace, settings, RunScope.Changed, null, null, null, cancellationToken);

    public Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        RunCoreAsync(workspace, settings, RunScope.All, null, null, progress, cancellationToken);

    /// <summary>
    /// Recomputes the people with a conversion in [<paramref name="from"/>, <paramref name="to"/>) (open bounds when
    /// null) — all their conversions, so their rows stay consistent — plus anything new; both null is a full recompute.
    /// </summary>
    public Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
        IProgress<AttributionProgress>? progress, CancellationToken cancellationToken) =>
        from is null && to is null
            ? RecomputeAsync(workspace, settings, progress, cancellationToken)
            : RunCoreAsync(workspace, settings, RunScope.Range, from, to, progress, cancellationToken);

    /// <summary>One run: the first run, changed settings or <see cref="RunScope.All"/> recompute everything.</summary>
    protected abstract Task<AttributionRun> RunCoreAsync(string workspace, AttributionSettings settings, RunScope scope,
        DateTime? from, DateTime? to, IProgress<AttributionProgress>? progress, CancellationToken cancellationToken);
}
