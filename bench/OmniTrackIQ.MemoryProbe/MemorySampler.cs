using System.Globalization;
using System.Text;

namespace OmniTrackIQ.MemoryProbe;

/// <summary>
/// Samples the process's memory every half second into a file, one line a sample, each part from its owner's own view:
/// the kernel's (RSS split into anonymous, file, shared), the GC's (<see cref="GC.GetGCMemoryInfo()"/>), glibc's, DuckDB's
/// jemalloc and DuckDB's buffer manager (<c>duckdb_memory()</c>, when given a way to ask). At each new peak of RSS it also
/// writes the resident memory by mapping and glibc's per-arena report beside the file (".peak", ".peak-malloc.xml").
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly string _file;
    private readonly Func<(long Bytes, string Tags)?> _duckDb;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private long _peakRss;
    private string _peakLine = "";

    public MemorySampler(string file, Func<(long Bytes, string Tags)?>? duckDb = null, int periodMs = 500)
    {
        _file = file;
        _duckDb = duckDb ?? (() => null);
        File.WriteAllText(file, "# t_s rss anon file shmem threads | gc_heap gc_committed gc_frag gc_total_alloc_mb | glibc_arenas glibc_mmapped glibc_inuse glibc_free | je_allocated je_active je_resident je_mapped je_retained je_narenas | duckdb_memory (MB, one line a sample)\n");
        File.AppendAllText(file, "# " + NativeHeaps.JemallocOptions() + "\n");
        _timer = new Timer(_ => Sample(), null, 0, periodMs);
    }

    /// <summary>The largest RSS seen, and the sample line it was seen in.</summary>
    public (long PeakMb, string Line) Peak { get { lock (_gate) { return (_peakRss / 1048576, _peakLine); } } }

    /// <summary>Starts a new phase in the file: its samples follow this line.</summary>
    public void Mark(string phase)
    {
        lock (_gate) { File.AppendAllText(_file, $"# phase: {phase}\n"); }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate) { File.AppendAllText(_file, $"# peak RSS {_peakRss / 1048576} MB at: {_peakLine}\n"); }
    }

    private void Sample()
    {
        if (!Monitor.TryEnter(_gate)) { return; }
        try
        {
            var status = Status();
            var gc = GC.GetGCMemoryInfo();
            var glibc = NativeHeaps.Glibc();
            var je = NativeHeaps.Jemalloc();
            (long Bytes, string Tags)? duck;
            try { duck = _duckDb(); } catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException) { duck = null; }
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{Environment.TickCount64 / 1000.0:F1} {Mb(status["VmRSS"])} {Mb(status["RssAnon"])} {Mb(status["RssFile"])} {Mb(status["RssShmem"])} {status["Threads"]} | " +
                $"{Mb(gc.HeapSizeBytes)} {Mb(gc.TotalCommittedBytes)} {Mb(gc.FragmentedBytes)} {Mb(GC.GetTotalAllocatedBytes())} | " +
                $"{Mb(glibc.Arenas)} {Mb(glibc.Mmapped)} {Mb(glibc.InUse)} {Mb(glibc.Free)} | " +
                $"{Mb(je.Allocated)} {Mb(je.Active)} {Mb(je.Resident)} {Mb(je.Mapped)} {Mb(je.Retained)} {je.Arenas} | " +
                $"{(duck is { } d ? Mb(d.Bytes).ToString(CultureInfo.InvariantCulture) + " " + d.Tags : "-")}");
            File.AppendAllText(_file, line + "\n");
            if (status["VmRSS"] > _peakRss)
            {
                var grew = status["VmRSS"] - _peakRss;
                _peakRss = status["VmRSS"];
                _peakLine = line;
                if (grew > 2 << 20)
                {
                    File.WriteAllText(_file + ".peak", line + "\n" + Mappings.Summary());
                    NativeHeaps.GlibcReport(_file + ".peak-malloc.xml");
                }
            }
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private static long Mb(long bytes) => bytes < 0 ? -1 : bytes / 1048576;

    private static Dictionary<string, long> Status()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) { continue; }
            var name = line[..colon];
            if (name is not ("VmRSS" or "RssAnon" or "RssFile" or "RssShmem" or "Threads")) { continue; }
            var value = line[(colon + 1)..].Trim();
            var kb = value.EndsWith("kB", StringComparison.Ordinal);
            values[name] = long.Parse(kb ? value[..^2].Trim() : value, CultureInfo.InvariantCulture) * (kb ? 1024 : 1);
        }

        return values;
    }

    /// <summary>DuckDB's buffer manager by tag, for a connection to ask: total bytes and the tags over 1 MB.</summary>
    public static (long Bytes, string Tags) DuckDbMemory(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory() ORDER BY memory_usage_bytes DESC";
        using var reader = command.ExecuteReader();
        long total = 0;
        var tags = new StringBuilder();
        while (reader.Read())
        {
            var bytes = reader.GetInt64(1);
            total += bytes;
            if (bytes >= 1 << 20) { tags.Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)}={bytes >> 20} "); }
            if (reader.GetInt64(2) > 0) { tags.Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)}_tmp={reader.GetInt64(2) >> 20} "); }
        }

        return (total, tags.ToString().TrimEnd());
    }
}
