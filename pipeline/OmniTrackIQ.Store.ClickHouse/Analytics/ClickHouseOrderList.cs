using System.Text.Json;
using OmniTrackIQ.Pipeline.Analytics;
using OmniTrackIQ.Store.ClickHouse.Attribution;
using OmniTrackIQ.Store.ClickHouse.Orders;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Analytics;

/// <summary>
/// <see cref="IOrderListQueries"/> on ClickHouse with the DuckDB store's meaning: the ledger's figures
/// (<see cref="OrdersSql.Orders"/>), the order's time as its first non-refund report's <c>ts</c>, and from the last
/// finished attribution run the order's person and path and the person's earliest conversion. One join per
/// subquery level: 18.16 takes a single JOIN per SELECT.
/// </summary>
public sealed class ClickHouseOrderList(ClickHouseDatabase database, StoreReadiness readiness) : IOrderListQueries
{
    public async Task ReadAsync(string workspace, DateTime from, DateTime to, CreditFilter? credited, OrderCursor? after, int? limit, Action<OrderListRow> row,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (limit is < 1) { throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be at least 1"); }
        readiness.ThrowIfNotReady();
        var db = database.Name;
        var ws = SqlLiteral.String(workspace);
        var state = await RunState.ReadAsync(database, ws, cancellationToken);
        // Credit exists only once a run finished: before it a filter keeps no order.
        if (credited is not null && !state.Exists) { return; }
        var creditFilter = credited is null ? "" : $"AND order_id IN ({await CreditedConversions.SubqueryAsync(database, ws, state, credited, cancellationToken)})";
        var keyset = after is { } c
            ? $"AND (ts_ms < {SqlLiteral.Integer(c.TsMs)} OR (ts_ms = {SqlLiteral.Integer(c.TsMs)} AND order_id < {SqlLiteral.String(c.OrderId)}))"
            : "";
        var timed = $"""
            SELECT order_id, gross, refunded, net_revenue, currency, status, sources, ts_ms
            FROM ({OrdersSql.Orders(db, ws)})
            ALL INNER JOIN (
                SELECT ifNull(order_id, '') AS order_id, min(ts) AS ts_ms FROM {db}.events
                WHERE workspace = {ws} AND type = 'conversion' AND order_id IS NOT NULL AND ifNull(event = 'Refund', 0) = 0
                GROUP BY order_id
                HAVING ts_ms >= {SqlLiteral.Integer(OrderCursor.EpochMs(from))} AND ts_ms < {SqlLiteral.Integer(OrderCursor.EpochMs(to))}) USING order_id
            WHERE 1 {keyset} {creditFilter}
            """;
        var current = $"""
            SELECT conversion_id, person, path, conversion_ts FROM {db}.attribution_conversions
            WHERE workspace = {ws} AND (conversion_id, run) IN ({state.CurrentConversions(db, ws)})
            LIMIT 1 BY conversion_id
            """;
        var sql = state.Exists
            ? $"""
              SELECT order_id, gross, refunded, net_revenue, currency, status, sources, ts_ms, order_person, order_path, has_person, first_ms
              FROM (
                  SELECT order_id, gross, refunded, net_revenue, currency, status, sources, ts_ms, order_person, order_path, has_person
                  FROM ({timed})
                  ANY LEFT JOIN (SELECT conversion_id AS order_id, person AS order_person, path AS order_path, 1 AS has_person FROM ({current})) USING order_id)
              ANY LEFT JOIN (SELECT person AS order_person, min(conversion_ts) AS first_ms FROM ({current}) GROUP BY person) USING order_person
              ORDER BY ts_ms DESC, order_id DESC
              {(limit is { } n ? $"LIMIT {n}" : "")}
              """
            : $"""
              SELECT order_id, gross, refunded, net_revenue, currency, status, sources, ts_ms, '' AS order_person, '' AS order_path, 0 AS has_person, 0 AS first_ms
              FROM ({timed})
              ORDER BY ts_ms DESC, order_id DESC
              {(limit is { } m ? $"LIMIT {m}" : "")}
              """;
        await database.ReadRowsAsync(sql, r => row(Read(r)), cancellationToken);
    }

    private static OrderListRow Read(JsonElement r)
    {
        // A LEFT JOIN without a match gives the default values ('' and 0), not NULL, on 18.16: has_person tells them apart.
        var hasPerson = r.TryGetProperty("has_person", out var flag) && ClickHouseDatabase.Number(flag) == 1;
        return new OrderListRow(Json.Text(r, "order_id")!, Json.Utc(r.GetProperty("ts_ms")), Json.Money(r.GetProperty("gross")),
            Json.Money(r.GetProperty("refunded")) ?? 0, Json.Money(r.GetProperty("net_revenue")), Json.Text(r, "currency"), Json.Text(r, "status")!,
            Json.Text(r, "sources") ?? "", hasPerson ? Json.Text(r, "order_person") : null, hasPerson ? Json.Text(r, "order_path") : null,
            hasPerson ? Json.Utc(r.GetProperty("first_ms")) : null);
    }
}
