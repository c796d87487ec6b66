using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The retention contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbBadEventRetentionContractTests : BadEventRetentionContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-retention-" + Guid.NewGuid().ToString("N"));
    private DuckDbDatabase? _database;

    protected override async Task<(StoreUnderTest Store, IBadEventRetention Retention)> OpenAsync()
    {
        _database = new DuckDbDatabase(Path.Combine(_dir, "events.duckdb"));
        var store = new DuckDbEventStore(_database);
        await store.InitializeAsync(CancellationToken.None);
        return (new StoreUnderTest(store, new DuckDbEventBrowser(_database)), new DuckDbBadEventRetention(_database));
    }

    public void Dispose()
    {
        _database?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
