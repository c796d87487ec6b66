using OmniTrackIQ.Pipeline.RateLimits;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// Rate-limit budgets kept in Redis, so that every ingest node draws on one budget per workspace: a global limit, not
/// N x. The same token bucket as <see cref="LocalRateBuckets"/>, taken atomically by one script per request, on the
/// caller's clock (a node whose clock is behind sees no refill until it catches up: never more than the budget).
/// When Redis does not answer in time the in-process buckets decide (<see cref="RedisState"/>): the limit is then per
/// node again, and nothing is refused for Redis's sake.
/// </summary>
internal sealed class RedisRateBuckets(RedisState redis, LocalRateBuckets local, TimeProvider time) : IRateBuckets
{
    /// <summary>KEYS[1]: the bucket. ARGV: permits a second, burst, permits wanted, now (ms), expiry (ms). Answers 0 when
    /// taken, else the milliseconds until the budget holds them (for more than the burst, until it is full).</summary>
    private static readonly LuaScript s_take = LuaScript.Prepare("""
        local b = redis.call('HMGET', @bucket, 'level', 'at')
        local rate, burst, permits, now = tonumber(@rate), tonumber(@burst), tonumber(@permits), tonumber(@now)
        local level, at = tonumber(b[1]), tonumber(b[2])
        if level == nil then level, at = burst, now end
        if now > at then level, at = math.min(burst, level + (now - at) * rate / 1000), now end
        local wait = 0
        if permits <= level then level = level - permits else wait = math.max(1, math.ceil((math.min(permits, burst) - level) * 1000 / rate)) end
        redis.call('HSET', @bucket, 'level', tostring(level), 'at', tostring(at))
        redis.call('PEXPIRE', @bucket, @ttl)
        return wait
        """);

    public bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter)
    {
        var args = Arguments(budget, permits);
        if (redis.TryRun("rate_limit", db => (long)db.ScriptEvaluate(s_take, args), out var wait))
        {
            retryAfter = TimeSpan.FromMilliseconds(wait);
            return wait == 0;
        }

        return local.TryTake(budget, permits, out retryAfter);
    }

    /// <summary>The event routes' take: the request's thread is free while Redis answers.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(RateBudget budget, long permits)
    {
        var args = Arguments(budget, permits);
        var (answered, wait) = await redis.TryRunAsync("rate_limit", async db => (long)await db.ScriptEvaluateAsync(s_take, args));
        if (answered) { return wait == 0 ? null : TimeSpan.FromMilliseconds(wait); }
        return local.TryTake(budget, permits, out var retryAfter) ? null : retryAfter;
    }

    private object Arguments(RateBudget budget, long permits)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ttl = (long)Math.Ceiling(budget.Burst * 1000.0 / Math.Max(1, budget.PerSecond)) + 60_000; // idle long enough to be full again
        return new { bucket = (RedisKey)("otq:rate:" + budget.Key), rate = budget.PerSecond, burst = budget.Burst, permits, now, ttl };
    }
}
