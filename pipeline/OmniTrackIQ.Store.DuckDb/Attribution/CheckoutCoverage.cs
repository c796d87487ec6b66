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
    /// <summary>
    /// What the order's reports say about why no visit explains it: the sales channel (<c>source_name</c>), the
    /// <c>_otq_id</c> the cart carried (a stand-in <c>order:</c> id means none), whether any page view carried that id,
    /// and whether that id's page views were refused for missing consent (bad_events).
    /// </summary>
    private const string OrderFacts = """
        WITH reports AS (
            SELECT order_id, order_source, source_name, nullif(anonymous_id, '') AS anon FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL),
        facts AS (
            SELECT order_id,
                   bool_or(order_source IN ('shopify', 's2s')) AS shop_reported,
                   bool_or(source_name IS NOT NULL AND source_name <> 'web') AND NOT bool_or(source_name = 'web') AS non_web,
                   max(anon) FILTER (WHERE anon NOT LIKE 'order:%') AS otq_id
            FROM reports GROUP BY order_id)
        , seen AS (
            SELECT DISTINCT anonymous_id FROM events
            WHERE workspace = $ws AND type = 'page' AND anonymous_id IN (SELECT otq_id FROM facts))
        , refused AS (
            SELECT DISTINCT f.otq_id FROM facts f JOIN bad_events b
              ON b.workspace = $ws AND b.field LIKE '%consent.analytics' AND contains(b.payload, '"' || f.otq_id || '"'))
        """;

    /// <summary>
    /// The stored reason, made actionable for orders no visit explains (README "Checkout coverage"): non_web (POS,
    /// draft, subscription apps), no_otq_id (the cart carried no _otq_id: snippet missing on that theme or checkout),
    /// consent_missing, id_unseen (an _otq_id no page view carried), else no_visit. An order only the browser reported
    /// always carries the id it was seen with, so for it only consent_missing refines no_visit.
    /// </summary>
    private const string Reason = """
        CASE WHEN c.miss_reason IS NULL THEN ''
             WHEN f.non_web THEN 'non_web'
             WHEN c.miss_reason <> 'no_visit' THEN c.miss_reason
             WHEN f.shop_reported AND f.otq_id IS NULL THEN 'no_otq_id'
             WHEN f.otq_id IN (SELECT otq_id FROM refused) THEN 'consent_missing'
             WHEN f.shop_reported AND f.otq_id IS NOT NULL AND f.otq_id NOT IN (SELECT anonymous_id FROM seen) THEN 'id_unseen'
             ELSE 'no_visit' END
        """;

    /// <summary>Coverage of conversions at from ≤ ts &lt; to (null bounds are open).</summary>
    public async Task<CoverageReport> ReadAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        await runner.EnsureTableAsync(cancellationToken);
        using var connection = database.OpenReader();
        var range = new TimeRange(from, to);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {OrderFacts}
            SELECT {Reason}, count(*), sum(revenue), count(*) FILTER (WHERE f.shop_reported) FROM conversions c
            LEFT JOIN facts f ON f.order_id = c.conversion_id
            WHERE c.workspace = $ws {range.Where("c.ts")}
            GROUP BY 1 ORDER BY 2 DESC, 1
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        range.Bind(command);
        using var reader = command.ExecuteReader();
        long conversions = 0, matched = 0, shopReported = 0;
        double revenue = 0, matchedRevenue = 0;
        var misses = new List<CoverageMiss>();
        while (reader.Read())
        {
            var reason = reader.GetString(0);
            var count = reader.GetInt64(1);
            var sum = reader.GetDouble(2);
            conversions += count;
            revenue += sum;
            shopReported += reader.GetInt64(3);
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
        return new CoverageReport(conversions, matched, share, Math.Round(revenue, 4), Math.Round(matchedRevenue, 4), misses, shopReported);
    }
}
