namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// Closed while calls succeed; <c>failuresToOpen</c> failures in a row open it for <c>openFor</c>, during which no call is
/// tried; then one trial call is let through (half open): success closes it, failure opens it again. On the collector's
/// clock, so tests drive it with a fake one.
/// </summary>
internal sealed class CircuitBreaker(int failuresToOpen, TimeSpan openFor, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset? _openUntil;
    private bool _trialOut;

    /// <summary>Whether a call may be tried now.</summary>
    public bool Allows()
    {
        lock (_lock)
        {
            if (_openUntil is not { } until) { return true; }
            if (time.GetUtcNow() < until || _trialOut) { return false; }
            _trialOut = true; // half open: this caller makes the trial
            return true;
        }
    }

    /// <summary>Records a success; true when it closed an open breaker (Redis is back).</summary>
    public bool Succeeded()
    {
        lock (_lock)
        {
            var wasOpen = _openUntil is not null;
            (_failures, _openUntil, _trialOut) = (0, null, false);
            return wasOpen;
        }
    }

    /// <summary>Records a failure; true when it opened the breaker.</summary>
    public bool Failed()
    {
        lock (_lock)
        {
            _trialOut = false;
            if (_openUntil is not null)
            {
                _openUntil = time.GetUtcNow() + openFor; // the trial failed
                return false;
            }

            if (++_failures < failuresToOpen) { return false; }
            _openUntil = time.GetUtcNow() + openFor;
            return true;
        }
    }

    public bool IsOpen
    {
        get { lock (_lock) { return _openUntil is not null; } }
    }
}
