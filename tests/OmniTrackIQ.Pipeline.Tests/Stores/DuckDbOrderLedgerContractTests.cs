using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The ledger contract on the embedded store (the reference behaviour): a fresh file per test, rows read from the <c>orders</c> view.</summary>
public sealed class DuckDbOrderLedgerContractTests : OrderLedgerContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-ledger-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbDatabase _database;

    public DuckDbOrderLedgerContractTests() => _database = new DuckDbDatabase(Path.Combine(_dir, "ledger.duckdb"));

    protected override async Task<LedgerUnderTest> OpenAsync()
    {
        var store = new DuckDbEventStore(_database);
        await store.InitializeAsync(CancellationToken.None);
        return new LedgerUnderTest(store, new DuckDbOrderLedger(_database));
    }

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

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
