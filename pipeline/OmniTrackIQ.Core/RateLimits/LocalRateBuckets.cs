using System.Collections.Concurrent;

namespace OmniTrackIQ.Pipeline.RateLimits;

/// <summary>
/// The in-process budgets: one <see cref="TokenBucket"/> per budget key on the given clock, full when first used.
/// Keys come from configuration (the limiter's own table), never from a request, so memory stays bounded.
/// </summary>
public sealed class LocalRateBuckets(TimeProvider time) : IRateBuckets
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var now = time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(budget.Key, static (_, state) => new TokenBucket(state.Budget.PerSecond, state.Budget.Burst, state.Frequency, state.Now),
            (Budget: budget, Frequency: time.TimestampFrequency, Now: now));
        if (bucket.TryTake(now, permits, out var waitTicks))
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        // Rounded up, so the wait is never too short.
        retryAfter = TimeSpan.FromTicks((waitTicks * TimeSpan.TicksPerSecond + time.TimestampFrequency - 1) / time.TimestampFrequency);
        return false;
    }
}
