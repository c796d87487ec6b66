using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Checkout coverage (DESIGN "Attribution" outputs): read from the <c>conversions</c> table the worker keeps,
/// where every conversion without a touch carries its <c>miss_reason</c> (see MissReasons). A low share is the
/// first thing to fix before trusting any model: it means orders the snippet never saw a visit for.
/// </summary>
public sealed class CheckoutCoverage(DuckDbDatabase database, AttributionRunner runner)
{
    /// <summary>Coverage of conversions at from ≤ ts &lt; to (null bounds are open).</summary>
    public async Task<CoverageReport> ReadAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        await runner.EnsureTableAsync(cancellationToken);
        using var connection = database.OpenReader();
        var range = new TimeRange(from, to);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT coalesce(miss_reason, ''), count(*), sum(revenue) FROM conversions
            WHERE workspace = $ws {range.Where("ts")}
            GROUP BY 1 ORDER BY 2 DESC, 1
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        range.Bind(command);
        using var reader = command.ExecuteReader();
        long conversions = 0, matched = 0;
        double revenue = 0, matchedRevenue = 0;
        var misses = new List<CoverageMiss>();
        while (reader.Read())
        {
            var reason = reader.GetString(0);
            var count = reader.GetInt64(1);
            var sum = reader.GetDouble(2);
            conversions += count;
            revenue += sum;
            if (reason.Length == 0)
            {
                matched = count;
                matchedRevenue = sum;
            }
            else
            {
                misses.Add(new CoverageMiss(reason, count, Math.Round(sum, 4)));
            }
        }

        var share = conversions == 0 ? 0 : Math.Round((double)matched / conversions, 6);
        return new CoverageReport(conversions, matched, share, Math.Round(revenue, 4), Math.Round(matchedRevenue, 4), misses);
    }
}
