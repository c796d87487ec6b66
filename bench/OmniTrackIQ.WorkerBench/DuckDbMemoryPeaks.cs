using System.Collections.Concurrent;
using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// The largest memory and temp-file use of each of DuckDB's buffer tags (<c>duckdb_memory()</c>: hash tables, sorts,
/// windows, in-memory tables, aggregate arenas …) seen while it is alive, polled every 100 ms on a connection of its own:
/// when a run nears or hits the limit, which operators held the memory and which of them spilled.
/// </summary>
internal sealed class DuckDbMemoryPeaks : IDisposable
{
    private readonly ConcurrentDictionary<string, (long Memory, long Temp)> _peaks = new(StringComparer.Ordinal);
    private readonly DuckDBConnection _connection;
    private readonly Timer _timer;
    private int _busy;

    public DuckDbMemoryPeaks(DuckDbDatabase database)
    {
        _connection = database.OpenReader();
        _timer = new Timer(_ => Sample(), null, 0, 100);
    }

    /// <summary>One line per tag that held memory: peak in memory / peak in temp files, in MB.</summary>
    public override string ToString() => string.Join("; ", _peaks.Where(p => p.Value.Memory + p.Value.Temp > 0).OrderByDescending(p => p.Value.Memory)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value.Memory / 1048576.0:F0}/{p.Value.Temp / 1048576.0:F0}")));

    public void Dispose()
    {
        _timer.Dispose();
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) { Thread.Sleep(10); } // a sample still running owns the connection
        _connection.Dispose();
    }

    private void Sample()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) { return; }
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var now = (reader.GetInt64(1), reader.GetInt64(2));
                _peaks.AddOrUpdate(reader.GetString(0), now, (_, seen) => (Math.Max(seen.Memory, now.Item1), Math.Max(seen.Temp, now.Item2)));
            }
        }
        catch (DuckDBException)
        {
            // the database is out of memory itself: this sample is lost, the peaks so far stand
        }
        finally
        {
            Interlocked.Exchange(ref _busy, 0);
        }
    }
}
