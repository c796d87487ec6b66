using System.Globalization;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// The largest managed heap (<see cref="GC.GetTotalMemory"/>, live and not yet collected objects) seen while it is alive,
/// sampled every 20 ms: beside the process's peak RSS it tells .NET's part of a run from DuckDB's.
/// </summary>
internal sealed class ManagedHeapPeak : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public ManagedHeapPeak() => _timer = new Timer(_ => Sample(), null, 0, 20);

    public long PeakMb { get { Sample(); return Interlocked.Read(ref _peak) / 1048576; } }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PeakMb} MB");

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }
}
