namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Delays between retries of a failed store write: exponential with decorrelated jitter (each delay is drawn
/// between the base and three times the previous one, capped). Without jitter every collector that lost the
/// same store retries in lock-step and hits it together the moment it is back; with full jitter a delay can be
/// near zero and spin. Not thread-safe: one sink loop owns it.
/// </summary>
public sealed class RetryBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Random _random;
    private TimeSpan _previous;

    public RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _base = baseDelay;
        _max = maxDelay;
        _random = random ?? Random.Shared;
        _previous = baseDelay;
    }

    /// <summary>The next delay, in [base, max].</summary>
    public TimeSpan Next()
    {
        var upper = _previous.Ticks > _max.Ticks / 3 ? _max.Ticks : _previous.Ticks * 3;
        var ticks = _base.Ticks + (long)(_random.NextDouble() * (upper - _base.Ticks));
        _previous = TimeSpan.FromTicks(Math.Clamp(ticks, _base.Ticks, _max.Ticks));
        return _previous;
    }

    /// <summary>After a success: the next failure starts again from the base delay.</summary>
    public void Reset() => _previous = _base;
}
