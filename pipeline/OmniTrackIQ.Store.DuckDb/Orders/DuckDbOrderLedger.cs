using System.Data.Common;
using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Store.DuckDb.Orders;

/// <summary><see cref="IOrderLedger"/> over the <c>orders</c> view, the conversion events and the attribution tables.</summary>
public sealed class DuckDbOrderLedger(DuckDbDatabase database) : IOrderLedger
{
    private static readonly string[] s_authority = [OrderSources.ShopifyWebhook, OrderSources.ServerToServer, OrderSources.Pixel];

    public Task<OrderDetail?> GetAsync(string workspace, string orderId, CancellationToken cancellationToken)
    {
        using var connection = database.OpenReader();
        // One snapshot for the view and the reports: read apart, a report committed in between showed up in the
        // history while the status still came from the state before it.
        using var snapshot = connection.BeginTransaction();
        using var order = Command(connection, workspace, orderId, "SELECT status, gross, refunded, net_revenue, currency, sources FROM orders WHERE workspace = $ws AND order_id = $id");
        using var row = order.ExecuteReader();
        if (!row.Read()) { return Task.FromResult<OrderDetail?>(null); }
        var status = row.GetString(0);
        var gross = Decimal(row, 1);
        var refunded = Decimal(row, 2) ?? 0;
        var net = Decimal(row, 3);
        var currency = Text(row, 4);
        var sources = (Text(row, 5) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).OrderBy(s => Array.IndexOf(s_authority, s)).ToList();

        var reports = new List<OrderReportRow>();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        using (var command = Command(connection, workspace, orderId, """
            SELECT coalesce(order_source, 'pixel'), coalesce(order_status, 'paid'), event, revenue, refunded, net_revenue, ts, received_at, message_id,
                   anonymous_id, user_id, email_sha256, phone_sha256, order_updated_at
            FROM events WHERE workspace = $ws AND type = 'conversion' AND order_id = $id ORDER BY load_seq
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                reports.Add(new OrderReportRow(reader.GetString(0), reader.GetString(1), Text(reader, 2), Decimal(reader, 3), Decimal(reader, 4), Decimal(reader, 5),
                    Utc(reader.GetDateTime(6)), Utc(reader.GetDateTime(7)), reader.GetString(8), reader.IsDBNull(13) ? null : Utc(reader.GetDateTime(13))));
                AddKey(keys, "a:", Text(reader, 9));
                AddKey(keys, "u:", Text(reader, 10));
                AddKey(keys, "e:", Text(reader, 11));
                AddKey(keys, "p:", Text(reader, 12));
            }
        }

        string? person = null, path = null, miss = null;
        var touches = new List<OrderTouch>();
        using (var command = Command(connection, workspace, orderId, "SELECT person, path, miss_reason FROM conversions WHERE workspace = $ws AND conversion_id = $id"))
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read()) { (person, path, miss) = (reader.GetString(0), reader.GetString(1), Text(reader, 2)); }
        }

        using (var command = Command(connection, workspace, orderId, """
            SELECT touch_index, channel, source, medium, campaign, touch_ts, credit_linear FROM attribution_touches
            WHERE workspace = $ws AND conversion_id = $id ORDER BY touch_index
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                touches.Add(new OrderTouch(reader.GetInt32(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                    reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)), reader.GetDouble(6)));
            }
        }

        return Task.FromResult<OrderDetail?>(new OrderDetail(orderId, status, gross, refunded, net, currency, sources, reports, [.. keys], person, path, miss, touches));
    }

    private static void AddKey(SortedSet<string> keys, string prefix, string? value)
    {
        // The stand-in id of an order that named no one is not an identity.
        if (value is { Length: > 0 } && !value.StartsWith("order:", StringComparison.Ordinal)) { keys.Add(prefix + value); }
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string workspace, string orderId, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("id", orderId));
        return command;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static decimal? Decimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
