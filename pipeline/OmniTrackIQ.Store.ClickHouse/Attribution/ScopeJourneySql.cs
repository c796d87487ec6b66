using OmniTrackIQ.Store.ClickHouse.Orders;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// The two flat reads a tick assembles its journeys from in process (<see cref="ScopeJourneys"/>), instead of
/// <see cref="JourneySql.Journeys"/>' nested query: the same rows, narrowed the same way, without the server's union,
/// people join, per-person grouping and nested JSON (most of that query's CPU on 18.16 once its reads were narrowed:
/// bench/RESULTS.md, issue 21 on ClickHouse, session 15).
/// <para>
/// On a single server each read names its narrowing condition as PREWHERE, on one column: a tick reads a granule of
/// 8,192 rows for each part its few keys or orders fall in, mostly rows of other people, and with PREWHERE the other
/// columns are read only for the rows that pass (measured at 1M: the events read 91–135 → 30–36 ms of CPU, the orders
/// 117–173 → 76–106 ms, the same rows out). 18.16's own choice of PREWHERE took a column that narrows nothing. Not on
/// a cluster: its tables there are Distributed, read as they were.
/// </para>
/// </summary>
internal static class ScopeJourneySql
{
    /// <summary>
    /// The page views and conversion reports of the scope's keys (<see cref="JourneySql.ScopePeopleTable"/>), one row per
    /// message id, columns <c>k, is_conversion, ts, message_id, channel, source, medium, campaign, order_id</c>. The
    /// pages are the journeys' touches; the reports only name the scope's orders (<see cref="Conversions"/> reads those
    /// whole). One read of the scope's granules of <c>events</c> for both, where the nested query and its orders took two.
    /// </summary>
    public static string Events(string db, string ws, bool prewhere)
    {
        const string Wanted = "((type = 'page' AND is_bot = 0) OR (type = 'conversion' AND isNotNull(order_id)))";
        var columns = $"{IdentitySql.EventKey} AS k, toUInt8(type = 'conversion') AS is_conversion, ts, message_id, ifNull(channel, 'Direct') AS channel, " +
                      "utm_source AS source, utm_medium AS medium, utm_campaign AS campaign, order_id";
        var read = prewhere
            ? JourneySql.Distinct(db, ws, columns, $"{Wanted} AND {JourneySql.ScopedKeys()}", prewhere: JourneySql.ScopedAnonymousIds())
            : JourneySql.Distinct(db, ws, columns, $"{Wanted} AND {JourneySql.ScopedEvents()}");
        return $"""
            SELECT k, is_conversion, ts, message_id, channel, source, medium, campaign, order_id
            FROM ({read})
            WHERE k != ''
            """;
    }

    /// <summary>
    /// One row per order of <see cref="JourneySql.ScopeOrdersTable"/>: its earliest keyed report's key, time and message id
    /// (the conversion's person, time and tie-break), with the ledger's net revenue and currency (the report's own when
    /// the ledger has none), as <see cref="JourneySql.Journeys"/> credits a conversion. Columns <c>k, ts, message_id,
    /// order_id, revenue, currency</c>; the key may lie outside the scope (the caller keeps the scope's).
    /// </summary>
    public static string Conversions(string db, string ws, bool prewhere)
    {
        var orderIds = $"SELECT o FROM {JourneySql.ScopeOrdersTable}";
        const string Columns = "assumeNotNull(order_id) AS oid, ifNull(toFloat64(revenue), 0) AS own_revenue, currency AS own_currency";
        var reports = prewhere
            ? JourneySql.Distinct(db, ws, $"{IdentitySql.EventKey} AS k, ts, message_id, {Columns}", "type = 'conversion' AND isNotNull(order_id)",
                OrderReports.Table, OrderReports.OrderIn(orderIds))
            : JourneySql.Distinct(db, ws, $"{IdentitySql.EventKey} AS k, ts, message_id, {Columns}",
                $"type = 'conversion' AND isNotNull(order_id) AND {OrderReports.OrderIn(orderIds)}", OrderReports.Table);
        return $"""
            SELECT first_k AS k, first_ts AS ts, first_mid AS message_id, oid AS order_id,
                   {JourneySql.FirstReportRevenue}
            {JourneySql.FirstReportsWithLedger(reports, OrdersSql.OrdersIn(db, ws, orderIds, prewhere))}
            """;
    }
}
