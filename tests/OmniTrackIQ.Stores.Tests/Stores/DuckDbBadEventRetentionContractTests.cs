using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The retention contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbBadEventRetentionContractTests : BadEventRetentionContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-retention-" + Guid.NewGuid().ToString("N"));
    private DuckDbDatabase? _database;

    protected override Task<(StoreUnderTest Store, IBadEventRetention Retention)> OpenAsync()
    {
        var path = Path.Combine(_dir, "events.duckdb");
        _database = new DuckDbDatabase(path);
        var store = new StoreUnderTest(new DuckDbEventStore(_database), new DuckDbEventBrowser(_database), () =>
        {
            new DuckDbDatabase(path).Dispose(); // opening is the step
            return Task.CompletedTask;
        });
        return Task.FromResult<(StoreUnderTest, IBadEventRetention)>((store, new DuckDbBadEventRetention(_database)));
    }

    public void Dispose()
    {
        _database?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
