using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution under per-query options (a lookback window or "paid clicks first" other than the workspace's): the shared
/// <see cref="AdHocCreditSums"/> computes the requested models over every journey and sums the credits of the conversions in
/// the asked range per model and summary key as they come, and those few sums go into the connection's temp table
/// <c>adhoc_results</c>, which the summary joins with spend as it joins the stored results' sums. Nothing is written to the stored results.
/// The journeys are those the last run stored (<see cref="JourneysTable"/>): the people and events the stored results
/// were computed from, at most one tick behind, as the stored results.
/// </summary>
internal static class AdHocAttribution
{
    public const string Table = "adhoc_results";

    /// <param name="connection">Where the temp table is filled and later read.</param>
    /// <param name="stream">A second connection of the same database to stream journeys from (a connection serves one result at a time).</param>
    /// <param name="range">Only conversions in it are summed.</param>
    /// <param name="groupBy">The summary key the credits are summed by (column <c>k</c>).</param>
    /// <param name="channel">Only the credit of this channel's touches, when given.</param>
    public static void Fill(DuckDBConnection connection, DuckDBConnection stream, string workspace, AttributionSettings settings, IReadOnlyCollection<string> models,
        TimeRange range, AttributionGroupBy groupBy, string? channel)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS {Table} (model VARCHAR, k VARCHAR, conversions DOUBLE, revenue DOUBLE);
                DELETE FROM {Table};
                """;
            create.ExecuteNonQuery();
        }

        var sums = new AdHocCreditSums(settings, models, groupBy, channel, range.Contains);
        foreach (var journey in JourneysTable.StreamDecoded(stream, workspace)) { sums.Add(journey.Touches, journey.Conversions, journey.LeadTimestampMs); }
        sums.Finish();

        using var appender = connection.CreateAppender(Table);
        foreach (var (model, key, credit, revenueCredit) in sums.Groups)
        {
            appender.CreateRow().AppendValue(model).AppendValue(key).AppendValue(credit).AppendValue(revenueCredit).EndRow();
        }
    }
}
