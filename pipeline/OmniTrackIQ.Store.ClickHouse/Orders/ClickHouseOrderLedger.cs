using System.Text.Json;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>
/// <see cref="IOrderLedger"/> on ClickHouse, answering as DuckDbOrderLedger does. The order's figures and its report
/// history come from one statement (<see cref="OrdersSql.Order"/>): read apart, a report stored in between would show
/// in the history while the status still came from the state before it (the DuckDB ledger's old race).
/// </summary>
public sealed class ClickHouseOrderLedger(ClickHouseDatabase database, StoreReadiness readiness) : IOrderLedger
{
    private static readonly string[] s_authority = [OrderSources.ShopifyWebhook, OrderSources.ServerToServer, OrderSources.Pixel];

    private readonly OrderAttributionReader _attribution = new(database);

    public async Task<OrderDetail?> GetAsync(string workspace, string orderId, CancellationToken cancellationToken)
    {
        readiness.ThrowIfNotReady();
        var sql = OrdersSql.Order(database.Name, SqlLiteral.String(workspace), SqlLiteral.String(orderId));
        JsonElement? found = null;
        await database.ReadRowsAsync(sql, row => found = row.Clone(), cancellationToken);
        if (found is not { } order) { return null; }

        var sources = (Json.Text(order, "sources") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .OrderBy(s => Array.IndexOf(s_authority, s)).ToList();
        // History in load order. A report stored twice by racing writers sits where its newest copy was loaded: the
        // copy a merge keeps, so that a merge never moves it (DuckDB, whose key refuses the second copy, keeps the first).
        var history = order.GetProperty("history").EnumerateArray()
            .Select(r => (Load: (ClickHouseDatabase.Number(r[13]), ClickHouseDatabase.Number(r[14])), Row: r))
            .OrderBy(r => r.Load).Select(r => r.Row).ToList();

        var reports = new List<OrderReportRow>(history.Count);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in history)
        {
            reports.Add(new OrderReportRow(r[0].GetString()!, r[1].GetString()!, r[2].GetString(), Json.Money(r[3]), Json.Money(r[4]), Json.Money(r[5]),
                Json.Utc(r[6]), Json.Utc(r[7]), r[8].GetString()!, r[15].ValueKind == JsonValueKind.Null ? null : Json.Utc(r[15])));
            AddKey(keys, "a:", r[9].GetString());
            AddKey(keys, "u:", r[10].GetString());
            AddKey(keys, "e:", r[11].GetString());
            AddKey(keys, "p:", r[12].GetString());
        }

        var attribution = await _attribution.ReadAsync(workspace, orderId, cancellationToken);
        return new OrderDetail(orderId, Json.Text(order, "status")!, Json.Money(order.GetProperty("gross")), Json.Money(order.GetProperty("refunded")) ?? 0,
            Json.Money(order.GetProperty("net_revenue")), Json.Text(order, "currency"), sources, reports, [.. keys],
            attribution?.Person, attribution?.Path, attribution?.MissReason, attribution?.Touches ?? []);
    }

    private static void AddKey(SortedSet<string> keys, string prefix, string? value)
    {
        // The stand-in id of an order that named no one is not an identity.
        if (value is { Length: > 0 } && !value.StartsWith("order:", StringComparison.Ordinal)) { keys.Add(prefix + value); }
    }
}
