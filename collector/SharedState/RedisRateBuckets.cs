using System.Collections.Concurrent;
using OmniTrackIQ.Pipeline.RateLimits;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// Rate-limit budgets kept in Redis, so that every ingest node draws on one budget per workspace: a global limit, not
/// N x. The same token bucket as <see cref="LocalRateBuckets"/>, taken atomically by a script, on the caller's clock (a
/// node whose clock is behind sees no refill until it catches up: never more than the budget).
/// The event routes' takes (<see cref="TryTakeAsync"/>, one a request at the full ingest rate) spend a node-local lease:
/// permits this node already took from the budget (<see cref="RedisOptions.RateLease"/> of its rate), topped up in the
/// background when it falls below half, so a request does not wait for Redis while its node holds permits (bench/RESULTS.md
/// "Session 11"). Only a take the lease cannot cover waits, for one grouped call (<see cref="GroupedCalls{T}"/>) that
/// takes its permits plus a new lease, or answers the wait. What a node leases was taken from the one budget, so all
/// nodes together never spend more than it grants over time; in any stretch of time at most one lease per node more
/// (permits taken before the stretch, spent in it), and a node's unspent lease is the most the others may be refused early.
/// When Redis does not answer in time the in-process buckets decide (<see cref="RedisState"/>): the limit is then per
/// node again, and nothing is refused for Redis's sake.
/// </summary>
internal sealed class RedisRateBuckets : IRateBuckets, IHostedService
{
    /// <summary>Requests whose take may wait for a call at once; one more decides on the node's own buckets.</summary>
    internal const int TakeQueueCapacity = 1_024;

    private const string Use = "rate_limit";

    /// <summary>KEYS[1]: the bucket. ARGV: permits a second, burst, now (ms), expiry (ms), then two numbers a take: the
    /// permits it needs and the most it takes (its need plus a lease). Answers two numbers a take: the permits taken (0, or
    /// from its need up to its most), and when none, the wait in milliseconds until the budget holds its need (for more
    /// than the burst, until it is full). Takes go in order; a refused take takes nothing.</summary>
    private const string TakeScript = """
        local b = redis.call('HMGET', KEYS[1], 'level', 'at')
        local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local level, at = tonumber(b[1]), tonumber(b[2])
        if level == nil then level, at = burst, now end
        if now > at then level, at = math.min(burst, level + (now - at) * rate / 1000), now end
        local answers = {}
        for i = 5, #ARGV, 2 do
          local need, most = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
          if need <= level then
            local taken = math.max(need, math.floor(math.min(level, most)))
            level = level - taken
            answers[#answers + 1] = taken
            answers[#answers + 1] = 0
          else
            answers[#answers + 1] = 0
            answers[#answers + 1] = math.max(1, math.ceil((math.min(need, burst) - level) * 1000 / rate))
          end
        end
        redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(at))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return answers
        """;

    private readonly RedisState _redis;
    private readonly LocalRateBuckets _local;
    private readonly TimeProvider _time;
    private readonly TimeSpan _leaseSpan;
    private readonly GroupedCalls<Take> _takes;
    private readonly ConcurrentDictionary<string, RedisKey[]> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    public RedisRateBuckets(RedisState redis, LocalRateBuckets local, TimeProvider time, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _local = local;
        _time = time;
        _leaseSpan = options.RateLease;
        _takes = new GroupedCalls<Take>(TakeQueueCapacity, TakeAsync);
    }

    /// <summary>The other routes' take (one a request, not at the ingest rate): exactly the permits, from Redis, no lease.</summary>
    public bool TryTake(RateBudget budget, long permits, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var args = Arguments(budget, 1);
        (args[4], args[5]) = (permits, permits);
        if (_redis.TryRun(Use, db => (long[])db.ScriptEvaluate(TakeScript, Bucket(budget), args)!, out var answer))
        {
            retryAfter = TimeSpan.FromMilliseconds(answer[1]);
            return answer[0] >= permits;
        }

        return _local.TryTake(budget, permits, out retryAfter);
    }

    /// <summary>
    /// The event routes' take: from this node's lease when it holds the permits (no wait; a lease below half is topped up
    /// in the background), else one grouped call for the permits plus a new lease; the request's thread is free meanwhile.
    /// </summary>
    public async ValueTask<TimeSpan?> TryTakeAsync(RateBudget budget, long permits)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var lease = _leases.GetOrAdd(budget.Key, static _ => new Lease());
        var size = LeaseSize(budget);
        if (permits <= budget.Burst && lease.TryTake(permits))
        {
            TopUp(budget, lease, size);
            return null;
        }

        // The new lease tops what this node still holds up to one lease, no more.
        var take = new Take(budget, permits, permits + Math.Max(0, size - lease.Permits), null);
        long[]? answer = null;
        if (!_takes.TryAdd(take)) { _redis.FellBack(Use, "take queue full"); }
        else
        {
            try
            {
                answer = await take.Answer.Task.WaitAsync(2 * _redis.Timeout);
            }
            catch (TimeoutException)
            {
                _redis.FellBack(Use, "take not answered in time");
            }
        }

        if (answer is [var taken, var wait])
        {
            if (wait > 0) { return TimeSpan.FromMilliseconds(wait); }
            lease.Add(taken - permits);
            return null;
        }

        return _local.TryTake(budget, permits, out var retryAfter) ? null : retryAfter;
    }

    /// <summary>The permits this node holds for <paramref name="budget"/> (its lease), for tests.</summary>
    internal long Leased(RateBudget budget) => _leases.TryGetValue(budget.Key, out var lease) ? lease.Permits : 0;

    /// <summary>Starts the grouped takes' loop when Redis is configured (else this use is never asked).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis.Configured) { _takes.Start(); }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _takes.StopAsync(cancellationToken);

    /// <summary>Permits a lease holds when full: <see cref="RedisOptions.RateLease"/> at the budget's rate, at most its burst.</summary>
    private long LeaseSize(RateBudget budget) =>
        Math.Min(budget.Burst, (long)Math.Ceiling(budget.PerSecond * _leaseSpan.TotalSeconds));

    /// <summary>Queues a top-up when the lease fell below half (one at a time a budget); no request waits for it.</summary>
    private void TopUp(RateBudget budget, Lease lease, long size)
    {
        if (size == 0 || lease.Permits * 2 >= size || !lease.TryStartTopUp()) { return; }
        if (!_takes.TryAdd(new Take(budget, 1, size - lease.Permits, lease))) { lease.EndTopUp(0); }
    }

    /// <summary>One script for one budget's queued takes; unanswered, each take decides on the node's own buckets.</summary>
    private async Task TakeAsync(string bucket, ArraySegment<Take> takes, int count)
    {
        var budget = takes[0].Budget;
        var args = Arguments(budget, count);
        // One lease a call: the first take that asks for one gets it, the others their need. Every request that found the
        // lease short asks for one, and N of them in a call would otherwise take N leases (the budget's burst at once).
        var leased = false;
        for (var i = 0; i < count; i++)
        {
            var most = leased ? takes[i].Need : takes[i].Most;
            leased |= most > takes[i].Need;
            (args[4 + 2 * i], args[5 + 2 * i]) = (takes[i].Need, most);
        }
        var (answered, answers) = await _redis.TryRunAsync(Use, async db => (long[])(await db.ScriptEvaluateAsync(TakeScript, Bucket(budget), args))!);
        for (var i = 0; i < count; i++)
        {
            if (takes[i].TopUpOf is { } lease) { lease.EndTopUp(answered ? answers[2 * i] : 0); }
            else { takes[i].Answer.TrySetResult(answered ? [answers[2 * i], answers[2 * i + 1]] : null); }
        }
    }

    /// <summary>The script's ARGV: the budget's terms on this node's clock, then room for <paramref name="takes"/> takes.</summary>
    private RedisValue[] Arguments(RateBudget budget, int takes)
    {
        var args = new RedisValue[4 + 2 * takes];
        args[0] = budget.PerSecond;
        args[1] = budget.Burst;
        args[2] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        args[3] = (long)Math.Ceiling(budget.Burst * 1000.0 / Math.Max(1, budget.PerSecond)) + 60_000; // idle long enough to be full again
        return args;
    }

    /// <summary>The budget's key as the script's KEYS, made once per budget (the budgets are the configured ones).</summary>
    private RedisKey[] Bucket(RateBudget budget) => _buckets.GetOrAdd(budget.Key, static key => [(RedisKey)("otq:rate:" + key)]);

    /// <summary>Permits this node took from a budget in Redis and has not spent yet, and whether a top-up is out.</summary>
    private sealed class Lease
    {
        private readonly Lock _lock = new();
        private long _permits;
        private bool _toppingUp;

        public long Permits
        {
            get { lock (_lock) { return _permits; } }
        }

        public bool TryTake(long permits)
        {
            lock (_lock)
            {
                if (_permits < permits) { return false; }
                _permits -= permits;
                return true;
            }
        }

        public void Add(long permits)
        {
            lock (_lock) { _permits += permits; }
        }

        public bool TryStartTopUp()
        {
            lock (_lock)
            {
                if (_toppingUp) { return false; }
                _toppingUp = true;
                return true;
            }
        }

        public void EndTopUp(long permits)
        {
            lock (_lock) { (_permits, _toppingUp) = (_permits + permits, false); }
        }
    }

    /// <summary>One take: at least <paramref name="Need"/> permits, at most <paramref name="Most"/>. A request's take is
    /// answered through <see cref="Answer"/>; a top-up (<paramref name="TopUpOf"/>) goes into its lease.</summary>
    private sealed record Take(RateBudget Budget, long Need, long Most, Lease? TopUpOf) : IGroupedShare
    {
        public string Group => Budget.Key;

        public int Size => 1;

        /// <summary>[taken, wait ms], or null when Redis did not answer; completed by the loop, continued on a pool thread.</summary>
        public TaskCompletionSource<long[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
