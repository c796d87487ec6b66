using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbEventStoreContractTests : EventStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-contract-" + Guid.NewGuid().ToString("N"));
    private DuckDbDatabase? _database;

    protected override async Task<StoreUnderTest> OpenAsync()
    {
        _database = new DuckDbDatabase(Path.Combine(_dir, "events.duckdb"));
        var store = new DuckDbEventStore(_database);
        await store.InitializeAsync(CancellationToken.None);
        return new StoreUnderTest(store, new DuckDbEventBrowser(_database));
    }

    // DuckDB has no check to get past: its primary key is the dedup, so a racing write is an ordinary one.
    protected override Task WriteRacingCopyAsync(StoreUnderTest store, IReadOnlyList<TrackedEvent> events) =>
        store.Store.WriteEventsAsync(events, CancellationToken.None);

    public void Dispose()
    {
        _database?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
