using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Benchmarks.Ingest;

/// <summary>
/// Issue 15's budget: bounding time must cost the hot path nothing measurable. The skew correction of a batch of 500
/// events as it is now (checked ticks plus the plausible window) against the unchecked sum it replaced, which threw
/// for year 9999 plus an hour of skew.
/// </summary>
public class ClockSkewBenchmarks
{
    private static readonly DateTimeOffset s_received = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly DateTimeOffset?[] _timestamps = [.. Enumerable.Range(0, 500).Select(i => (DateTimeOffset?)s_received.AddSeconds(-i))];
    private readonly DateTimeOffset? _sentAt = s_received.AddMinutes(-3);

    [Benchmark(Baseline = true)]
    public long UncheckedSumAsBefore()
    {
        long sum = 0;
        foreach (var timestamp in _timestamps)
        {
            var skew = s_received - _sentAt!.Value;
            var ts = skew.Duration() <= ClockSkew.MaxPlausibleSkew ? timestamp!.Value + skew : timestamp!.Value;
            sum += ts.UtcTicks;
        }

        return sum;
    }

    [Benchmark]
    public long CheckedAndBounded()
    {
        long sum = 0;
        foreach (var timestamp in _timestamps)
        {
            sum += ClockSkew.Correct(timestamp, _sentAt, s_received, out var implausible).UtcTicks + (implausible ? 1 : 0);
        }

        return sum;
    }
}
