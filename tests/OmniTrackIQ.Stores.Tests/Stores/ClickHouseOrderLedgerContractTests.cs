using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.ClickHouse.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The ledger contract on ClickHouse: merges stopped, so copies stay unmerged; rows read from <see cref="OrdersSql.Orders"/>.</summary>
public class ClickHouseOrderLedgerContractTests(ClickHouseServerFixture server) : OrderLedgerContract, IClassFixture<ClickHouseServerFixture>
{
    private ClickHouseDatabase? _database;

    protected override async Task<LedgerUnderTest> OpenAsync()
    {
        var provider = await server.OpenAsync();
        await server.StopMergesAsync("events");
        _database = provider.GetRequiredService<ClickHouseDatabase>();
        return new LedgerUnderTest(provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<IOrderLedger>());
    }

    protected override Task WriteRacingCopyAsync(LedgerUnderTest store, IReadOnlyList<TrackedEvent> events) =>
        ((ClickHouseEventStore)store.Store).InsertAsync(events, CancellationToken.None);

    protected override async Task<OrderFigures?> ReadOrderRowAsync(string workspace, string orderId)
    {
        var database = _database ?? throw new InvalidOperationException("OpenAsync first");
        OrderFigures? figures = null;
        await database.ReadRowsAsync(
            $"SELECT * FROM ({OrdersSql.Orders(database.Name, SqlLiteral.String(workspace))}) WHERE order_id = {SqlLiteral.String(orderId)}",
            r => figures = new OrderFigures(Json.Money(r.GetProperty("gross")), Json.Money(r.GetProperty("refunded")) ?? -1, Json.Money(r.GetProperty("net_revenue")),
                r.GetProperty("currency").GetString(), r.GetProperty("status").GetString()!, ClickHouseDatabase.Number(r.GetProperty("reports"))),
            CancellationToken.None);
        return figures;
    }
}
