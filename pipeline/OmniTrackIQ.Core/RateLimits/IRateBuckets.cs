namespace OmniTrackIQ.Pipeline.RateLimits;

/// <summary>
/// Where rate-limit budgets are kept and taken from: the seam between the rules (which budget a request draws on,
/// how much, what a refusal answers: the collector's <c>WorkspaceRateLimiter</c>) and the place the levels live.
/// In process by default (<see cref="LocalRateBuckets"/>); a store shared by several ingest nodes (Redis) can be
/// registered in its place, and must fall back to the in-process form when it does not answer in time.
/// </summary>
public interface IRateBuckets
{
    /// <summary>
    /// Takes <paramref name="permits"/> from <paramref name="budget"/>. Refused, nothing is taken and
    /// <paramref name="retryAfter"/> is the wait until the budget would hold them (for more than its burst, which
    /// never fit, until it is full).
    /// </summary>
    bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter);

    /// <summary>
    /// <see cref="TryTake"/> for the per-event routes, whose requests must not hold a thread while a shared store
    /// answers: with dozens of connections in flight, blocked threads starve the pool and the node's rate collapses
    /// (bench/RESULTS.md, issue 17). The answer: null when taken, else the wait. In process it is the synchronous take.
    /// </summary>
    ValueTask<TimeSpan?> TryTakeAsync(RateBudget budget, long permits) =>
        ValueTask.FromResult(TryTake(budget, permits, out var retryAfter) ? (TimeSpan?)null : retryAfter);
}

/// <summary>One budget: its key (unique across budgets), the permits it gains a second and the most it holds.</summary>
public sealed record RateBudget(string Key, long PerSecond, long Burst);
