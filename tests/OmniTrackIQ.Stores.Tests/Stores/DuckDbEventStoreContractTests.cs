using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbEventStoreContractTests : EventStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-contract-" + Guid.NewGuid().ToString("N"));
    private DuckDbDatabase? _database;

    protected override Task<StoreUnderTest> OpenAsync()
    {
        var path = Path.Combine(_dir, "events.duckdb");
        _database = new DuckDbDatabase(path);
        // Opening is the step: a second open of the live file (the same database instance) runs it again.
        return Task.FromResult(new StoreUnderTest(new DuckDbEventStore(_database), new DuckDbEventBrowser(_database), () =>
        {
            new DuckDbDatabase(path).Dispose();
            return Task.CompletedTask;
        }));
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
