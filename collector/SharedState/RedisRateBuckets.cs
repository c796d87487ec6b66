using System.Collections.Concurrent;
using OmniTrackIQ.Pipeline.RateLimits;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// Rate-limit budgets kept in Redis, so that every ingest node draws on one budget per workspace: a global limit, not
/// N x. The same token bucket as <see cref="LocalRateBuckets"/>, taken atomically by a script, on the caller's clock (a
/// node whose clock is behind sees no refill until it catches up: never more than the budget). The event routes' takes
/// (<see cref="TryTakeAsync"/>, one a request at the full ingest rate) are grouped (<see cref="GroupedCalls{T}"/>): one
/// script takes, in queue order, the permits of every request that queued for a budget while the previous call was out,
/// and answers each its own wait; a request waits at most twice the timeout (the call before its own, and its own).
/// When Redis does not answer in time the in-process buckets decide (<see cref="RedisState"/>): the limit is then per
/// node again, and nothing is refused for Redis's sake.
/// </summary>
internal sealed class RedisRateBuckets : IRateBuckets, IHostedService
{
    /// <summary>Requests whose take may wait for a call at once; one more decides on the node's own buckets.</summary>
    internal const int TakeQueueCapacity = 1_024;

    private const string Use = "rate_limit";

    /// <summary>KEYS[1]: the bucket. ARGV: permits a second, burst, now (ms), expiry (ms), then the permits each take
    /// wants, in order. Answers each take's wait: 0 when taken, else the milliseconds until the budget holds its permits
    /// (for more than the burst, until it is full); a refused take takes nothing.</summary>
    private const string TakeScript = """
        local b = redis.call('HMGET', KEYS[1], 'level', 'at')
        local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local level, at = tonumber(b[1]), tonumber(b[2])
        if level == nil then level, at = burst, now end
        if now > at then level, at = math.min(burst, level + (now - at) * rate / 1000), now end
        local waits = {}
        for i = 5, #ARGV do
          local permits = tonumber(ARGV[i])
          local wait = 0
          if permits <= level then level = level - permits else wait = math.max(1, math.ceil((math.min(permits, burst) - level) * 1000 / rate)) end
          waits[#waits + 1] = wait
        end
        redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return waits
        """;

    private readonly RedisState _redis;
    private readonly LocalRateBuckets _local;
    private readonly TimeProvider _time;
    private readonly GroupedCalls<Take> _takes;
    private readonly ConcurrentDictionary<string, RedisKey[]> _buckets = new(StringComparer.Ordinal);

    public RedisRateBuckets(RedisState redis, LocalRateBuckets local, TimeProvider time)
    {
        _redis = redis;
        _local = local;
        _time = time;
        _takes = new GroupedCalls<Take>(TakeQueueCapacity, TakeAsync);
    }

    public bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var args = Arguments(budget, 1);
        args[4] = permits;
        if (_redis.TryRun(Use, db => (long[])db.ScriptEvaluate(TakeScript, Bucket(budget), args)!, out var waits))
        {
            retryAfter = TimeSpan.FromMilliseconds(waits[0]);
            return waits[0] == 0;
        }

        return _local.TryTake(budget, permits, out retryAfter);
    }

    /// <summary>The event routes' take: queued for the next grouped call; the request's thread is free meanwhile.</summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(RateBudget budget, long permits)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var take = new Take(budget, permits);
        long? wait = null;
        if (!_takes.TryAdd(take)) { _redis.FellBack(Use, "take queue full"); }
        else
        {
            try
            {
                wait = await take.Answer.Task.WaitAsync(2 * _redis.Timeout);
            }
            catch (TimeoutException)
            {
                _redis.FellBack(Use, "take not answered in time");
            }
        }

        if (wait is { } ms) { return ms == 0 ? null : TimeSpan.FromMilliseconds(ms); }
        return _local.TryTake(budget, permits, out var retryAfter) ? null : retryAfter;
    }

    /// <summary>Starts the grouped takes' loop when Redis is configured (else this use is never asked).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis.Configured) { _takes.Start(); }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _takes.StopAsync(cancellationToken);

    /// <summary>One script for one budget's queued takes; unanswered, each take decides on the node's own buckets.</summary>
    private async Task TakeAsync(string bucket, ArraySegment<Take> takes, int count)
    {
        var budget = takes[0].Budget;
        var args = Arguments(budget, count);
        for (var i = 0; i < count; i++) { args[4 + i] = takes[i].Permits; }
        var (answered, waits) = await _redis.TryRunAsync(Use, async db => (long[])(await db.ScriptEvaluateAsync(TakeScript, Bucket(budget), args))!);
        for (var i = 0; i < count; i++) { takes[i].Answer.TrySetResult(answered ? waits[i] : null); }
    }

    /// <summary>The script's ARGV: the budget's terms on this node's clock, then room for <paramref name="takes"/> permits.</summary>
    private RedisValue[] Arguments(RateBudget budget, int takes)
    {
        var args = new RedisValue[4 + takes];
        args[0] = budget.PerSecond;
        args[1] = budget.Burst;
        args[2] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        args[3] = (long)Math.Ceiling(budget.Burst * 1000.0 / Math.Max(1, budget.PerSecond)) + 60_000; // idle long enough to be full again
        return args;
    }

    /// <summary>The budget's key as the script's KEYS, made once per budget (the budgets are the configured ones).</summary>
    private RedisKey[] Bucket(RateBudget budget) => _buckets.GetOrAdd(budget.Key, static key => [(RedisKey)("otq:rate:" + key)]);

    private sealed record Take(RateBudget Budget, long Permits) : IGroupedShare
    {
        public string Group => Budget.Key;

        public int Size => 1;

        /// <summary>The wait in ms (0: taken), or null when Redis did not answer; completed by the loop, continued on a pool thread.</summary>
        public TaskCompletionSource<long?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
