using System.Diagnostics;

namespace OmniTrackIQ.Pipeline.Metrics;

/// <summary>A Prometheus-style cumulative histogram of request durations in seconds, lock-free.</summary>
public sealed class LatencyHistogram
{
    public static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private long _count;
    private long _sumTicks;

    public void Observe(long elapsedTimestampTicks)
    {
        var seconds = (double)elapsedTimestampTicks / Stopwatch.Frequency;
        var index = 0;
        while (index < Bounds.Length && seconds > Bounds[index]) { index++; }

        Interlocked.Increment(ref _buckets[index]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumTicks, elapsedTimestampTicks);
    }

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency;

    /// <summary>Cumulative counts per bound, then +Inf.</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            result[i] = running;
        }

        return result;
    }
}
