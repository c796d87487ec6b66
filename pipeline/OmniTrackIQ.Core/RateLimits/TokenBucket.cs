namespace OmniTrackIQ.Pipeline.RateLimits;

/// <summary>
/// A token bucket on caller-supplied timestamps (<see cref="TimeProvider.GetTimestamp"/> units).
/// System.Threading.RateLimiting's TokenBucketRateLimiter replenishes on its own timer and Stopwatch,
/// not on a TimeProvider, so tests could only drive it by sleeping; this one is pure arithmetic over
/// the timestamps it is given, and exact: the level is kept in integer units of 1/frequency permit,
/// so refill over any split of the same interval gives the same level.
/// </summary>
public sealed class TokenBucket
{
    private readonly long _ratePerSecond;
    private readonly long _frequency;
    private readonly long _capacityUnits;
    private readonly Lock _lock = new();
    private long _levelUnits;
    private long _lastTimestamp;

    /// <param name="ratePerSecond">Permits added per second (at least 1).</param>
    /// <param name="burst">Most permits the bucket holds, and what it starts with (at least 1).</param>
    /// <param name="timestampFrequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="startTimestamp">Now, in the same timestamp units.</param>
    public TokenBucket(long ratePerSecond, long burst, long timestampFrequency, long startTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratePerSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timestampFrequency, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(burst, long.MaxValue / timestampFrequency);
        _ratePerSecond = ratePerSecond;
        _frequency = timestampFrequency;
        Burst = burst;
        _capacityUnits = burst * timestampFrequency;
        _levelUnits = _capacityUnits;
        _lastTimestamp = startTimestamp;
    }

    public long Burst { get; }

    /// <summary>
    /// Takes <paramref name="permits"/> if the bucket holds them. Refused, nothing is taken and
    /// <paramref name="retryAfterTicks"/> says how long until it would hold them — or, for more than
    /// <see cref="Burst"/> (which never fit), until it is full.
    /// </summary>
    public bool TryTake(long timestamp, long permits, out long retryAfterTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 0);
        lock (_lock)
        {
            Refill(timestamp);
            var wantedUnits = permits > Burst ? _capacityUnits : permits * _frequency;
            if (permits <= Burst && _levelUnits >= wantedUnits)
            {
                _levelUnits -= wantedUnits;
                retryAfterTicks = 0;
                return true;
            }

            // Each tick adds _ratePerSecond units; round up so the wait is never too short.
            retryAfterTicks = Math.Max(1, CeilDiv(wantedUnits - _levelUnits, _ratePerSecond));
            return false;
        }
    }

    /// <summary>Permits available at <paramref name="timestamp"/> (whole permits, rounded down).</summary>
    public long Available(long timestamp)
    {
        lock (_lock)
        {
            Refill(timestamp);
            return _levelUnits / _frequency;
        }
    }

    private void Refill(long timestamp)
    {
        // A timestamp from before the last one (another thread's, taken earlier) adds nothing.
        if (timestamp <= _lastTimestamp) { return; }
        var elapsed = timestamp - _lastTimestamp;
        _lastTimestamp = timestamp;
        var missing = _capacityUnits - _levelUnits;
        // Compared before multiplying, so a bucket idle for years cannot overflow.
        _levelUnits = elapsed >= CeilDiv(missing, _ratePerSecond) ? _capacityUnits : _levelUnits + elapsed * _ratePerSecond;
    }

    private static long CeilDiv(long value, long divisor) => value <= 0 ? 0 : 1 + (value - 1) / divisor;
}
