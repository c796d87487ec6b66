namespace OmniTrackIQ.LoadGen;

/// <summary>
/// HDR-like fixed-bucket histogram of microsecond latencies: exact below 128 µs, then 64 linear
/// sub-buckets per power of two (~1.6 % relative error). Fixed size, so recording never allocates.
/// One instance per connection loop; merged once at the end, so no synchronisation is needed.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int Linear = 2 * SubBuckets;
    private const int Magnitudes = 32;
    private readonly long[] _counts = new long[Linear + (Magnitudes * SubBuckets)];

    public long Count { get; private set; }

    public void Record(long micros)
    {
        _counts[IndexOf(Math.Max(0, micros))]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    /// <summary>Value (µs, upper edge of its bucket) at or below which <paramref name="percentile"/> % of samples fall.</summary>
    public long ValueAt(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        var target = (long)Math.Ceiling(Count * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(1, target))
            {
                return UpperEdge(i);
            }
        }
        return UpperEdge(_counts.Length - 1);
    }

    private static int IndexOf(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }
        var shift = 63 - (int)long.LeadingZeroCount(v) - 6; // v >> shift lands in [64, 128)
        var index = Linear + ((shift - 1) * SubBuckets) + (int)((v >> shift) - SubBuckets);
        return Math.Min(index, (Linear + (Magnitudes * SubBuckets)) - 1);
    }

    private static long UpperEdge(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = ((index - Linear) / SubBuckets) + 1;
        var sub = ((index - Linear) % SubBuckets) + SubBuckets;
        return ((sub + 1L) << shift) - 1;
    }
}
