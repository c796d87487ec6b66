using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The embedded store's answers to analysts: summary (with spend), top paths and checkout coverage.</summary>
public sealed class DuckDbAttributionQueries : IAttributionQueries
{
    private readonly AttributionSummary _summary;
    private readonly TopPaths _paths;
    private readonly CheckoutCoverage _coverage;

    public DuckDbAttributionQueries(DuckDbDatabase database)
    {
        _summary = new AttributionSummary(database);
        _paths = new TopPaths(database);
        _coverage = new CheckoutCoverage(database);
    }

    public Task<Dictionary<string, List<AttributionSummaryRow>>> SummarizeAsync(string workspace, IReadOnlyCollection<string> models, AttributionGroupBy groupBy,
        DateTime? from, DateTime? to, AttributionSettings? adHoc, string? channel, CancellationToken cancellationToken) =>
        _summary.SummarizeAsync(workspace, models, groupBy, from, to, adHoc, channel, cancellationToken);

    public Task<List<DailySummaryRow>> SummarizeDailyAsync(string workspace, string model, AttributionGroupBy groupBy, DateTime from, DateTime to,
        string? channel, CancellationToken cancellationToken) =>
        _summary.SummarizeDailyAsync(workspace, model, groupBy, from, to, channel, cancellationToken);

    public Task<List<TopPathRow>> TopPathsAsync(string workspace, int top, DateTime? from, DateTime? to, string? channel, CancellationToken cancellationToken) =>
        _paths.ReadAsync(workspace, top, from, to, channel, cancellationToken);

    public Task<CoverageReport> CoverageAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken) =>
        _coverage.ReadAsync(workspace, from, to, cancellationToken);
}
