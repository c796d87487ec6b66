using DuckDB.NET.Data;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>The writer connection, held from <see cref="DuckDbDatabase.LeaseWriterAsync"/> until disposed (once).</summary>
public sealed class WriterLease(DuckDBConnection connection, SemaphoreSlim writeLock) : IDisposable
{
    private int _released;

    public DuckDBConnection Connection { get; } = connection;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) { writeLock.Release(); }
    }
}
