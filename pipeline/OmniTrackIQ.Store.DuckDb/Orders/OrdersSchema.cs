namespace OmniTrackIQ.Store.DuckDb.Orders;

/// <summary>
/// The order ledger (README "Orders"): a view over the conversion events, one row per (workspace, order id), so
/// every report stays a row of its own (the history) and nothing is rewritten when a report arrives. The most
/// authoritative source's (webhook > S2S > pixel) newest report gives gross, currency, status and net; refunds
/// are the larger of what that report knows and the sum of separate refund reports. A cancelled order nets 0.
/// </summary>
internal static class OrdersSchema
{
    /// <summary>
    /// The deciding report of an order: the most authoritative source's; within it the newest by the payload's own
    /// clock (<c>order_updated_at</c>, which OrderEvents fills from Shopify's <c>updated_at</c> or S2S <c>updatedAt</c>),
    /// so that an old report delivered late or replayed cannot undo a newer one; a report that gave no such time counts
    /// at its arrival. Then the last received (one request's rows share a load batch, whose sequence numbers need not
    /// follow the order they were sent in), then the last loaded. ClickHouse's OrdersSql ranks by the same tuple.
    /// </summary>
    private static readonly string Deciding = $"""
        row_number() OVER (PARTITION BY workspace, order_id, coalesce(event = 'Refund', false)
                           ORDER BY {OrderSourceSql.Authority("coalesce(order_source, 'pixel')")} DESC,
                                    coalesce(order_updated_at, received_at) DESC, received_at DESC, coalesce(load_seq, 0) DESC) = 1
        """;

    public static readonly string CreateView = "CREATE OR REPLACE VIEW orders AS\n" + Ledger("");

    /// <summary>
    /// The ledger's query, over the conversion events that also match <paramref name="reportsFilter"/> (empty, or
    /// "AND …"). A filter on whole orders (workspace, order id) gives exactly those orders' rows of the view, without
    /// folding every other order first: the attribution tick reads the ledger of its few people's orders this way.
    /// </summary>
    public static string Ledger(string reportsFilter) => $"""
        WITH reports AS (
            SELECT workspace, order_id, coalesce(order_source, 'pixel') AS source, {Deciding} AS deciding, ts, received_at,
                   revenue, coalesce(refunded, 0) AS refunded, net_revenue, currency, coalesce(order_status, 'paid') AS status,
                   coalesce(event = 'Refund', false) AS is_refund
            FROM events WHERE type = 'conversion' AND order_id IS NOT NULL {reportsFilter}),
        folded AS (
            SELECT workspace, order_id,
                   max(revenue) FILTER (WHERE deciding AND NOT is_refund) AS gross,
                   max(refunded) FILTER (WHERE deciding AND NOT is_refund) AS order_refunded,
                   max(net_revenue) FILTER (WHERE deciding AND NOT is_refund) AS reported_net,
                   max(status) FILTER (WHERE deciding AND NOT is_refund) AS reported_status,
                   max(currency) FILTER (WHERE deciding AND NOT is_refund) AS currency,
                   coalesce(sum(refunded) FILTER (WHERE is_refund), 0) AS refund_reports,
                   min(ts) FILTER (WHERE NOT is_refund) AS ts, max(received_at) AS updated_at, count(*) AS reports,
                   string_agg(DISTINCT source, ',') AS sources
            FROM reports GROUP BY workspace, order_id),
        settled AS (
            SELECT *, greatest(coalesce(order_refunded, 0), refund_reports) AS refunded_total FROM folded)
        SELECT workspace, order_id, gross, currency, sources, ts, updated_at, reports, refunded_total AS refunded,
               CASE WHEN reported_status = 'cancelled' THEN 'cancelled'
                    WHEN gross > 0 AND refunded_total >= gross THEN 'refunded'
                    WHEN refunded_total > 0 THEN 'partially_refunded'
                    ELSE coalesce(reported_status, 'paid') END AS status,
               CASE WHEN reported_status = 'cancelled' THEN 0
                    WHEN gross IS NULL THEN NULL
                    ELSE greatest(least(coalesce(reported_net, gross), gross - refunded_total), 0) END AS net_revenue
        FROM settled
        """;
}
