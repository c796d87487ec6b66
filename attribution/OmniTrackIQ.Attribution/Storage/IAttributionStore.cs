namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The attribution side of an event store: the worker, the run endpoint and the backfill command drive it
/// through this interface, never through a store's own types. Every store's is the one run of
/// <see cref="Runs.AttributionOrchestrator"/> over that store's <see cref="Runs.IAttributionRunStore"/>: the store
/// assembles each person's journey where the events live and keeps the results; a run replaces what it recomputes.
/// </summary>
public interface IAttributionStore
{
    /// <summary>Recomputes what changed since the last run (everything on the first run or when <paramref name="settings"/> changed).</summary>
    Task<AttributionRun> RunAsync(string workspace, AttributionSettings settings, CancellationToken cancellationToken);

    /// <summary>Recomputes every conversion of the workspace.</summary>
    Task<AttributionRun> RecomputeAsync(string workspace, AttributionSettings settings, IProgress<AttributionProgress>? progress,
        CancellationToken cancellationToken);

    /// <summary>Recomputes the people with a conversion in [from, to) (everything when both are null), plus anything new.</summary>
    Task<AttributionRun> BackfillAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to,
        IProgress<AttributionProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>What analysts ask of a store's attribution results (read token endpoints, the report).</summary>
public interface IAttributionQueries
{
    /// <summary>
    /// Per model, rows grouped by <paramref name="groupBy"/> for
    /// conversions at from ≤ time &lt; to, with the group's ad spend. With <paramref name="adHoc"/> the models
    /// are computed on the fly under those options instead of read from the stored results. With
    /// <paramref name="channel"/> only that channel's share: the credit each model gives touches of that channel
    /// (a conversion's other touches keep theirs, so the rows sum to the channel's row of the unfiltered channel
    /// summary) and the spend rows of that channel.
    /// </summary>
    Task<Dictionary<string, List<AttributionSummaryRow>>> SummarizeAsync(string workspace, IReadOnlyCollection<string> models, AttributionGroupBy groupBy,
        DateTime? from, DateTime? to, AttributionSettings? adHoc, string? channel, CancellationToken cancellationToken);

    /// <summary>
    /// The summary rows of <paramref name="model"/> (stored results) per UTC day and group, in one read: a day's rows are
    /// what <see cref="SummarizeAsync"/> answers for [that day's 00:00, the next) clipped to [from, to), conversions by
    /// their day, spend by its date, only <paramref name="channel"/>'s share when given. Ordered by day, then as the summary orders its rows.
    /// </summary>
    Task<List<DailySummaryRow>> SummarizeDailyAsync(string workspace, string model, AttributionGroupBy groupBy, DateTime from, DateTime to, string? channel,
        CancellationToken cancellationToken);

    /// <summary>
    /// The <paramref name="top"/> (1 to <see cref="AttributionQueryLimits.MaxTopPaths"/>) most common converting paths; with
    /// <paramref name="channel"/> only the paths through it (one of the path's steps is that channel).
    /// </summary>
    Task<List<TopPathRow>> TopPathsAsync(string workspace, int top, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken);

    /// <summary>Checkout coverage: conversions matched to a visit, and the reason for each miss.</summary>
    Task<CoverageReport> CoverageAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken);
}

/// <summary>The limits the queries accept (the API validates against them).</summary>
public static class AttributionQueryLimits
{
    public const int MaxTopPaths = 1000;
}
