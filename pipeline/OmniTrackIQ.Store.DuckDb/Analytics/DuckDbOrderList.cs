using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Store.DuckDb.Analytics;

/// <summary>
/// <see cref="IOrderListQueries"/> over the ledger's <c>orders</c> view, joined with the attribution run's
/// <c>conversions</c> (person, path) and each person's earliest conversion. Times compare as epoch milliseconds so
/// the keyset means what it means on ClickHouse.
/// </summary>
public sealed class DuckDbOrderList(DuckDbDatabase database) : IOrderListQueries
{
    public Task ReadAsync(string workspace, DateTime from, DateTime to, CreditFilter? credited, OrderCursor? after, int? limit, Action<OrderListRow> row,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (limit is < 1) { throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be at least 1"); }
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        // attribution_results holds a row per credited touch (credit above 0) of every model, data-driven ones included.
        var creditFilter = credited is null ? ""
            : "AND o.order_id IN (SELECT conversion_id FROM attribution_results WHERE workspace = $ws AND model = $model AND channel = $channel)";
        command.CommandText = $"""
            SELECT o.order_id, epoch_ms(o.ts) AS ms, o.gross, o.refunded, o.net_revenue, o.currency, o.status, o.sources, c.person, c.path, f.first_ts
            FROM orders o
            LEFT JOIN conversions c ON c.workspace = o.workspace AND c.conversion_id = o.order_id
            LEFT JOIN (SELECT person, min(ts) AS first_ts FROM conversions WHERE workspace = $ws GROUP BY person) f ON f.person = c.person
            WHERE o.workspace = $ws AND o.ts IS NOT NULL AND epoch_ms(o.ts) >= $from_ms AND epoch_ms(o.ts) < $to_ms
              {(after is null ? "" : "AND (epoch_ms(o.ts) < $after_ms OR (epoch_ms(o.ts) = $after_ms AND o.order_id < $after_id))")}
              {creditFilter}
            ORDER BY ms DESC, o.order_id DESC
            {(limit is null ? "" : "LIMIT $limit")}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("from_ms", OrderCursor.EpochMs(from)));
        command.Parameters.Add(new DuckDBParameter("to_ms", OrderCursor.EpochMs(to)));
        if (after is { } cursor)
        {
            command.Parameters.Add(new DuckDBParameter("after_ms", cursor.TsMs));
            command.Parameters.Add(new DuckDBParameter("after_id", cursor.OrderId));
        }

        if (limit is { } n) { command.Parameters.Add(new DuckDBParameter("limit", n)); }
        if (credited is not null)
        {
            command.Parameters.Add(new DuckDBParameter("model", credited.Model));
            command.Parameters.Add(new DuckDBParameter("channel", credited.Channel));
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            row(new OrderListRow(reader.GetString(0), DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64(1)), Decimal(reader, 2), Decimal(reader, 3) ?? 0,
                Decimal(reader, 4), Text(reader, 5), reader.GetString(6), Text(reader, 7) ?? "", Text(reader, 8), Text(reader, 9),
                reader.IsDBNull(10) ? null : DateTime.SpecifyKind(reader.GetDateTime(10), DateTimeKind.Utc)));
        }

        return Task.CompletedTask;
    }

    private static decimal? Decimal(DuckDBDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetDecimal(i);

    private static string? Text(DuckDBDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
