using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>
/// The one embedded DuckDB database of a process. DuckDB allows a single writing process per file;
/// inside it, writes are serialised through one connection and readers open their own
/// connections (same database instance, safe to use concurrently). Opening it migrates it (<see cref="DuckDbMigrations"/>).
/// </summary>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DuckDBConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <param name="path">Database file.</param>
    /// <param name="memoryLimit">DuckDB's buffer limit (its default is 80 % of the machine's RAM, far beyond what a collector may take).</param>
    /// <param name="threads">DuckDB worker threads; the collector's own threads need the rest of the cores.</param>
    /// <param name="checkpointThreshold">Write-ahead log size that triggers a checkpoint (<see cref="DuckDbStoreOptions.CheckpointThreshold"/>).</param>
    /// <param name="allocatorDecayMs">How long DuckDB's allocator keeps freed pages (<see cref="DuckDbStoreOptions.AllocatorDecayMs"/>); null leaves DuckDB's own.</param>
    public DuckDbDatabase(string path, string memoryLimit = DuckDbStoreOptions.DefaultMemoryLimit, int threads = 1, string checkpointThreshold = DuckDbStoreOptions.DefaultCheckpointThreshold,
        long? allocatorDecayMs = null)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) { PrivateFiles.CreateDirectory(directory); }

        _writer = new DuckDBConnection($"Data Source={path}");
        _writer.Open();
        // DuckDB creates its files itself, with the process umask: narrowed right after (the folder, when we made it, is
        // owner-only already). Its write-ahead log comes and goes and follows the umask; the folder is what guards it.
        // Best effort: a file another user owns (a mounted volume) stays as it is and the store still opens.
        _ = PrivateFiles.TryRestrictFile(path);
        _ = PrivateFiles.TryRestrictFile(path + ".wal");
        using var settings = _writer.CreateCommand();
        settings.CommandText = $"SET memory_limit = '{Unquoted(memoryLimit)}'; SET threads = {Math.Max(1, threads)}; " +
            $"SET checkpoint_threshold = '{Unquoted(checkpointThreshold)}';";
        settings.ExecuteNonQuery();
        // After the open, so the library (and its allocator) is loaded; a build without the bundled jemalloc keeps its malloc's.
        AllocatorDecayApplied = allocatorDecayMs is { } decay && DuckDbAllocator.TrySetDecay(decay);
        DuckDbMigrations.Apply(_writer); // opening is the embedded store's start-up step
    }

    public string Path { get; }

    /// <summary>Whether DuckDB's allocator took a decay asked for (false: none asked, or a library without the bundled jemalloc).</summary>
    public bool AllocatorDecayApplied { get; }

    private static string Unquoted(string setting) => setting.Replace("'", "", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="work"/> on the writer connection, one caller at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<DuckDBConnection, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return work(_writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Holds the writer connection until the lease is disposed, for work that awaits between its steps (an
    /// attribution run's writes, fed by a journey stream); other writers wait meanwhile, as under <see cref="WriteAsync{T}"/>.
    /// </summary>
    public async Task<WriterLease> LeaseWriterAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        return new WriterLease(_writer, _writeLock);
    }

    /// <summary>A connection for queries; dispose it when done.</summary>
    public DuckDBConnection OpenReader()
    {
        // A second connection to the same file shares the process's database instance.
        var connection = new DuckDBConnection($"Data Source={Path}");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }
}
