using System.Globalization;

namespace OmniTrackIQ.LoadGen;

/// <summary>Merged outcome of all loops and its human-readable summary.</summary>
internal sealed class LoadResult
{
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _statuses = new long[600];
    private TimeSpan _elapsed;
    private long _acceptedEvents;
    private string _runId = "";

    public long Succeeded { get; private set; }

    public static LoadResult Merge(LoopStats[] loops, TimeSpan elapsed, string runId)
    {
        var result = new LoadResult { _elapsed = elapsed, _runId = runId };
        foreach (var loop in loops)
        {
            result._latency.Add(loop.Latency);
            result._acceptedEvents += loop.AcceptedEvents;
            for (var s = 0; s < loop.Statuses.Length; s++)
            {
                result._statuses[s] += loop.Statuses[s];
                if (s is >= 200 and < 300)
                {
                    result.Succeeded += loop.Statuses[s];
                }
            }
        }
        return result;
    }

    public void Print(LoadOptions options, TextWriter output)
    {
        var seconds = Math.Max(_elapsed.TotalSeconds, 1e-9);
        var total = _latency.Count;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c,
            $"run {_runId}: POST {options.Url} connections={options.Connections} batch={options.Batch} measured={seconds:F2}s"));
        output.WriteLine(string.Create(c, $"requests:   {total} ({total / seconds:F0} req/s), 2xx={Succeeded}, non-2xx={total - Succeeded}"));
        output.Write("status:    ");
        for (var s = 0; s < _statuses.Length; s++)
        {
            if (_statuses[s] > 0)
            {
                output.Write(string.Create(c, $" {(s == 0 ? "error" : s.ToString(c))}={_statuses[s]}"));
            }
        }
        output.WriteLine();
        output.WriteLine(string.Create(c, $"events:     {_acceptedEvents} accepted ({_acceptedEvents / seconds:F0} events/s)"));
        output.WriteLine(string.Create(c,
            $"latency ms: p50={Ms(50)} p90={Ms(90)} p99={Ms(99)} p99.9={Ms(99.9)} max={Ms(100)}"));
    }

    private string Ms(double percentile) =>
        (_latency.ValueAt(percentile) / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
}
