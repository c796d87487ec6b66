using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution under per-query options (a lookback window or "paid clicks first" other than the
/// workspace's): the shared <see cref="AdHocCredits"/> computes the requested models over every journey and this leaves their rows in the connection's
/// temp table <c>adhoc_results</c> (the columns the summary reads from attribution_results), so the same
/// summary SQL — spend join included — runs over them. Nothing is written to the stored results.
/// Identity links are those the worker has recorded (at most one tick behind).
/// </summary>
internal static class AdHocAttribution
{
    public const string Table = "adhoc_results";

    /// <param name="connection">Where the temp table is filled and later read.</param>
    /// <param name="stream">A second connection of the same database to stream journeys from (a connection serves one result at a time).</param>
    public static void Fill(DuckDBConnection connection, DuckDBConnection stream, string workspace, AttributionSettings settings, IReadOnlyCollection<string> models)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS {Table} (workspace VARCHAR, model VARCHAR, channel VARCHAR, source VARCHAR,
                    medium VARCHAR, campaign VARCHAR, conversion_ts TIMESTAMP, credit DOUBLE, revenue_credit DOUBLE);
                DELETE FROM {Table};
                """;
            create.ExecuteNonQuery();
        }

        var people = IdentityGraph.Load(stream, workspace, out var leadMs);
        JourneyReader.SetPeople(stream, people);
        using var appender = connection.CreateAppender(Table);
        foreach (var row in AdHocCredits.Compute(() => JourneyReader.Stream(stream, workspace, leadMs, scoped: false), settings, models))
        {
            var touch = row.Touch;
            appender.CreateRow().AppendValue(workspace).AppendValue(row.Model)
                .AppendValue(touch?.Channel ?? AttributionSchema.NoTouchChannel).AppendValue(touch?.Source).AppendValue(touch?.Medium)
                .AppendValue(touch?.Campaign).AppendValue(DateTimeOffset.FromUnixTimeMilliseconds(row.Conversion.TimestampMs).UtcDateTime)
                .AppendValue(row.Credit).AppendValue(row.RevenueCredit).EndRow();
        }
    }
}
