namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>
/// The order ledger of the DuckDB <c>orders</c> view (OrdersSchema) as a ClickHouse query, without window functions
/// (18.16 has none). Every report stays a row of <c>events</c>; per order:
/// <list type="bullet">
/// <item>copies of one report (a writers' race) count once: one row per message id, the newest load mark's;</item>
/// <item>the deciding report among the order reports (and, separately, among the refund reports) is the most
/// authoritative source's (shopify &gt; s2s &gt; pixel), then the newest by the payload's own clock
/// (<c>order_updated_at</c>, else its arrival), then the last received, then the last loaded: argMax over the tuple
/// (authority, ifNull(order_updated_at, received_at), received_at, load_ms, load_index), DuckDB's OrdersSchema order;</item>
/// <item>gross, currency, status and reported net come from the deciding order report; refunded is the larger of
/// what it knows and the sum of the refund reports; a cancelled order nets 0, and net is never below 0 or above
/// gross − refunded.</item>
/// </list>
/// Money stays Decimal (widened to Decimal(38,4) at once: 18.16 types an if() over Decimal(18,4) and Decimal(38,4)
/// branches wrongly). Values argMax picks are wrapped in a tuple: an aggregate's Nullable argument makes it skip
/// NULL rows, and a NULL on the deciding report must stay NULL, not fall back to an older report's value.
/// </summary>
internal static class OrdersSql
{
    /// <summary>
    /// A subquery (no parentheses), one row per order of the workspace, columns: <c>order_id String,
    /// gross Nullable(Decimal(38,4)), refunded Decimal(38,4), net_revenue Nullable(Decimal(38,4)),
    /// currency Nullable(String), status String, sources String</c> (comma-separated, most authoritative first),
    /// <c>reports UInt64</c> (distinct reports, refunds included). The numbers are the ledger's (<see cref="ClickHouseOrderLedger"/>).
    /// </summary>
    /// <param name="database">The store's database (<see cref="ClickHouseDatabase.Name"/>).</param>
    /// <param name="workspaceLiteral">The workspace as a SQL literal (<see cref="SqlLiteral.String"/>).</param>
    public static string Orders(string database, string workspaceLiteral) => Build(database, workspaceLiteral, "", one: false);

    /// <summary>
    /// The rows of <see cref="Orders(string, string)"/> for the orders whose id is in <paramref name="orderIds"/> (a subquery
    /// of order ids): an order's row depends only on its own reports, so a run that needs a few orders folds only theirs,
    /// read from <see cref="OrderReports"/> (sorted by order id) so that finding them does not read every event.
    /// </summary>
    /// <param name="prewhere">The order ids read first (PREWHERE, one column), the other columns only for their rows: a single
    /// server's tick (bench/RESULTS.md, issue 21 on ClickHouse, session 15); false on a cluster, whose tables are Distributed.</param>
    public static string OrdersIn(string database, string workspaceLiteral, string orderIds, bool prewhere = false) =>
        prewhere
            ? Build(database, workspaceLiteral, "", one: false, OrderReports.Table, OrderReports.OrderIn(orderIds))
            : Build(database, workspaceLiteral, $"AND {OrderReports.OrderIn(orderIds)}", one: false, OrderReports.Table);

    /// <summary>
    /// The same row for one order plus <c>history</c>: its reports as tuples (source, status, event, revenue,
    /// refunded, net_revenue, ts, received_at, message_id, anonymous_id, user_id, email_sha256, phone_sha256,
    /// load_ms, load_index, order_updated_at). One statement reads both, so the history is always the one the figures come from.
    /// </summary>
    public static string Order(string database, string workspaceLiteral, string orderIdLiteral) =>
        Build(database, workspaceLiteral, $"AND order_id = {orderIdLiteral}", one: true);

    /// <param name="orderFilter">A condition on <c>order_id</c> (<c>AND …</c>), or empty for every order.</param>
    /// <param name="one">One order, with its history.</param>
    /// <param name="reports">The table the reports are read from: <c>events</c>, or <see cref="OrderReports"/> (the same rows).</param>
    /// <param name="prewhere">A condition read first (PREWHERE), or null.</param>
    private static string Build(string database, string workspaceLiteral, string orderFilter, bool one, string reports = "events", string? prewhere = null)
    {
        var historyColumns = one ? ", event, revenue, refunded, net_revenue, ts, message_id, anonymous_id, user_id, email_sha256, phone_sha256, order_updated_at" : "";
        var history1 = one
            ? ", groupArray(tuple(report_source, report_status, event, revenue, refunded, net_revenue, ts, received_at, message_id, " +
              "anonymous_id, user_id, email_sha256, phone_sha256, load_ms, load_index, order_updated_at)) AS report_history"
            : "";
        var history2 = one ? ", groupArrayArray(report_history) AS all_history" : "";
        var history3 = one ? ", all_history" : "";
        var history4 = one ? ", all_history AS history" : "";
        return $"""
            SELECT order_id, gross, refunded_total AS refunded,
                   multiIf(reported_status = 'cancelled', toDecimal128(0, 4),
                           isNull(gross), NULL,
                           greatest(least(ifNull(reported_net, gross), gross - refunded_total), toDecimal128(0, 4))) AS net_revenue,
                   order_currency AS currency,
                   multiIf(reported_status = 'cancelled', 'cancelled',
                           gross > 0 AND refunded_total >= gross, 'refunded',
                           refunded_total > 0, 'partially_refunded',
                           ifNull(reported_status, 'paid')) AS status,
                   order_sources AS sources, report_total AS reports{history4}
            FROM (
                SELECT oid AS order_id,
                       if(has_order, tupleElement(order_decided, 1), NULL) AS gross,
                       greatest(if(has_order, tupleElement(order_decided, 2), toDecimal128(0, 4)), refund_reports) AS refunded_total,
                       if(has_order, tupleElement(order_decided, 3), NULL) AS reported_net,
                       if(has_order, tupleElement(order_decided, 4), NULL) AS reported_status,
                       if(has_order, tupleElement(order_decided, 5), NULL) AS order_currency,
                       arrayStringConcat(arrayReverseSort(s -> tuple({OrderSourceSql.Authority("s")}, s), all_sources), ',') AS order_sources,
                       report_total{history3}
                FROM (
                    SELECT oid,
                           max(is_refund = 0) AS has_order,
                           argMax(decided, is_refund = 0) AS order_decided,
                           sumIf(refunded_sum, is_refund = 1) AS refund_reports,
                           sum(report_count) AS report_total,
                           groupUniqArrayArray(report_sources) AS all_sources{history2}
                    FROM (
                        SELECT oid, is_refund,
                               argMax(tuple(report_gross, report_refunded, report_net, report_status, currency),
                                      tuple(authority, state_at, received_at, load_ms, load_index)) AS decided,
                               sum(report_refunded) AS refunded_sum,
                               count() AS report_count,
                               groupUniqArray(report_source) AS report_sources{history1}
                        FROM (
                            SELECT ifNull(order_id, '') AS oid,
                                   ifNull(order_source, 'pixel') AS report_source,
                                   {OrderSourceSql.Authority("report_source")} AS authority,
                                   ifNull(event = 'Refund', 0) AS is_refund,
                                   toDecimal128(revenue, 4) AS report_gross,
                                   toDecimal128(ifNull(refunded, toDecimal64(0, 4)), 4) AS report_refunded,
                                   toDecimal128(net_revenue, 4) AS report_net,
                                   ifNull(order_status, 'paid') AS report_status,
                                   ifNull(order_updated_at, received_at) AS state_at,
                                   currency, received_at, load_ms, load_index{historyColumns}
                            FROM (
                                SELECT order_id, order_source, event, revenue, refunded, net_revenue, order_status, currency,
                                       ts, received_at, message_id, anonymous_id, user_id, email_sha256, phone_sha256, load_ms, load_index,
                                       order_updated_at
                                FROM {database}.{reports}
                                {(prewhere is null ? "" : $"PREWHERE {prewhere} ")}WHERE workspace = {workspaceLiteral} AND type = 'conversion' AND order_id IS NOT NULL {orderFilter}
                                ORDER BY load_ms DESC, load_index DESC
                                LIMIT 1 BY message_id))
                        GROUP BY oid, is_refund)
                    GROUP BY oid))
            """;
    }
}
