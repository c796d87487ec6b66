using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Checkout coverage (DESIGN "Attribution" outputs): the facts of each conversion in the <c>conversions</c> table the
/// worker keeps (its <c>miss_reason</c>, see MissReasons, and what its reports say) read here, the rule applied by
/// the shared <see cref="CoverageRules"/>. A low share is the
/// first thing to fix before trusting any model: it means orders the snippet never saw a visit for.
/// </summary>
public sealed class CheckoutCoverage(DuckDbDatabase database)
{
    /// <summary>
    /// What the order's reports say about why no visit explains it: the sales channel (<c>source_name</c>), the
    /// <c>_otq_id</c> the cart carried (a stand-in <c>order:</c> id means none), whether any page view carried that id,
    /// and whether that id's page views were refused for missing consent (bad_events).
    /// </summary>
    private static readonly string OrderFacts = $"""
        WITH reports AS (
            SELECT order_id, order_source, source_name, nullif(anonymous_id, '') AS anon FROM events
            WHERE workspace = $ws AND type = 'conversion' AND order_id IS NOT NULL),
        facts AS (
            SELECT order_id,
                   bool_or(order_source IN {Orders.OrderSourceSql.ShopReported}) AS shop_reported,
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

    /// <summary>Coverage of conversions at from ≤ ts &lt; to (null bounds are open).</summary>
    public Task<CoverageReport> ReadAsync(string workspace, DateTime? from, DateTime? to, CancellationToken cancellationToken)
    {
        using var connection = database.OpenReader();
        var range = new TimeRange(from, to);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {OrderFacts}
            SELECT c.miss_reason, c.revenue, coalesce(f.shop_reported, false), coalesce(f.non_web, false), f.otq_id,
                   f.otq_id IN (SELECT otq_id FROM refused), f.otq_id IN (SELECT anonymous_id FROM seen)
            FROM conversions c LEFT JOIN facts f ON f.order_id = c.conversion_id
            WHERE c.workspace = $ws {range.Where("c.ts")}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        range.Bind(command);
        using var reader = command.ExecuteReader();
        var orders = new List<CoverageFacts>();
        while (reader.Read())
        {
            var otqId = reader.IsDBNull(4) ? null : reader.GetString(4);
            orders.Add(new CoverageFacts(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetDouble(1), reader.GetBoolean(2), reader.GetBoolean(3), otqId,
                otqId is not null && reader.GetBoolean(5), otqId is not null && reader.GetBoolean(6)));
        }

        return Task.FromResult(CoverageRules.Report(orders));
    }
}
