using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The ledger contract on the embedded store (the reference behaviour): a fresh file per test, rows read from the <c>orders</c> view.</summary>
public sealed class DuckDbOrderLedgerContractTests : OrderLedgerContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbDatabase _database;

    public DuckDbOrderLedgerContractTests() => _database = new DuckDbDatabase(Path.Combine(_dir, "ledger.duckdb"));

    protected override Task<LedgerUnderTest> OpenAsync() => Task.FromResult(new LedgerUnderTest(new DuckDbEventStore(_database), new DuckDbOrderLedger(_database)));

    // Its primary key is the dedup: a racing write is an ordinary one.
    protected override Task WriteRacingCopyAsync(LedgerUnderTest store, IReadOnlyList<TrackedEvent> events) =>
        store.Store.WriteEventsAsync(events, CancellationToken.None);

    protected override Task<OrderFigures?> ReadOrderRowAsync(string workspace, string orderId)
    {
        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT gross, refunded, net_revenue, currency, status, reports FROM orders WHERE workspace = $ws AND order_id = $id";
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("id", orderId));
        using var reader = command.ExecuteReader();
        if (!reader.Read()) { return Task.FromResult<OrderFigures?>(null); }
        return Task.FromResult<OrderFigures?>(new OrderFigures(reader.IsDBNull(0) ? null : reader.GetDecimal(0), reader.GetDecimal(1),
            reader.IsDBNull(2) ? null : reader.GetDecimal(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
    }

    [Fact]
    public async Task A_database_made_before_order_updated_at_gets_it_at_start_and_its_old_reports_rank_by_arrival()
    {
        var before = await OpenAsync();
        await before.Store.WriteEventsAsync([Report("old", "o-1", OrderSources.ShopifyWebhook, "cancelled", 10m, receivedSecond: 5)], CancellationToken.None);
        // As a file from before the column: it has the report, not the column.
        await _database.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE events DROP COLUMN order_updated_at";
            return command.ExecuteNonQuery();
        }, CancellationToken.None);

        new DuckDbDatabase(_database.Path).Dispose(); // opening the file (again) is the start-up step that adds the column
        var after = await OpenAsync();
        await after.Store.WriteEventsAsync([Report("new", "o-1", OrderSources.ShopifyWebhook, "paid", 10m, receivedSecond: 9, updatedSecond: 1)], CancellationToken.None);
        var order = await after.Ledger.GetAsync(Workspace, "o-1", CancellationToken.None);

        // The old report has no state time, so its arrival (+5 s) is its rank: newer than the paid state of +1 s.
        Assert.Equal("cancelled", order!.Status);
        Assert.Equal([("old", (DateTime?)null), ("new", new DateTime(2026, 11, 20, 9, 30, 1, 250, DateTimeKind.Utc))], order.Reports.Select(r => (r.MessageId, r.UpdatedAt)));
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
