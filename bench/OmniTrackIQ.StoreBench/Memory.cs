using System.Globalization;

namespace OmniTrackIQ.StoreBench;

/// <summary>
/// RSS of a phase: this process's peak (VmHWM, reset per phase through /proc/self/clear_refs) and the ClickHouse
/// server's VmRSS sampled every 250 ms (its peak is not resettable from here, and the server is not ours to touch).
/// </summary>
internal sealed class Memory : IDisposable
{
    private readonly int? _serverPid;
    private readonly Timer _timer;
    private long _serverPeakKb;

    public Memory(int? serverPid)
    {
        _serverPid = serverPid;
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _timer = new Timer(_ => Sample(), null, 0, 250);
    }

    public static long SelfKb(string field) => Kb(Environment.ProcessId, field);

    public string Report()
    {
        Sample();
        var self = SelfKb("VmHWM") / 1024;
        return _serverPid is null
            ? string.Create(CultureInfo.InvariantCulture, $"bench process peak {self} MB")
            : string.Create(CultureInfo.InvariantCulture, $"bench process peak {self} MB, clickhouse-server peak {Interlocked.Read(ref _serverPeakKb) / 1024} MB");
    }

    private void Sample()
    {
        if (_serverPid is not { } pid) { return; }
        var kb = Kb(pid, "VmRSS");
        long seen;
        while (kb > (seen = Interlocked.Read(ref _serverPeakKb)) && Interlocked.CompareExchange(ref _serverPeakKb, kb, seen) != seen) { }
    }

    private static long Kb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException) { }
        return 0;
    }

    public void Dispose() => _timer.Dispose();
}
