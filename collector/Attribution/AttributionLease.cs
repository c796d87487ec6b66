using System.Collections.Concurrent;
using OmniTrackIQ.Collector.SharedState;
using StackExchange.Redis;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// One attribution run at a time per workspace, whoever starts it (the worker's tick or <c>POST /v1/attribution/run</c>)
/// and on whichever node: in process always, and with Redis across every collector, so that several
/// <c>--role attribute</c> nodes share the workspaces instead of running each one twice. The Redis lease is
/// <c>SET otq:lease:attribution:{workspace} {holder} NX PX ttl</c>, renewed at a third of its time while the run lasts and
/// released (only by its holder) at the end; a node that dies leaves it to expire. A Redis that does not answer for a
/// moment (one slow call, a node that has just started and is not connected yet) holds the workspace back for this try:
/// running it then could run it beside another node's run. One silent for a whole lease TTL is an outage: then the
/// in-process lease alone decides (<see cref="RedisState"/>) and only this node is held off, so attribution goes on.
/// </summary>
internal sealed class AttributionLease(RedisState redis, RedisOptions options, TimeProvider time)
{
    private readonly RedisState _redis = redis;
    private readonly TimeProvider _time = time;

    private const string Use = "attribution_lease";

    private static readonly LuaScript s_renew = LuaScript.Prepare(
        "if redis.call('GET', @key) == @holder then return redis.call('PEXPIRE', @key, @ttl) else return 0 end");

    private static readonly LuaScript s_release = LuaScript.Prepare(
        "if redis.call('GET', @key) == @holder then return redis.call('DEL', @key) else return 0 end");

    private readonly ConcurrentDictionary<string, byte> _local = new(StringComparer.Ordinal);

    /// <summary>This process's name in the lease (who holds it, for an operator reading Redis).</summary>
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private const long Answering = long.MinValue;

    /// <summary>When Redis first left a lease call unanswered (<see cref="TimeProvider.GetTimestamp"/>), or <see cref="Answering"/>.</summary>
    private long _silentSince = Answering;

    /// <summary>
    /// The lease, or null while another run (here or on another node) holds it, or while a configured Redis has not
    /// answered for less than a lease TTL. Dispose it when the run ends.
    /// </summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string workspace)
    {
        if (!_local.TryAdd(workspace, 0)) { return null; }
        var key = (RedisKey)("otq:lease:attribution:" + workspace);
        var ttl = (long)options.LeaseTtl.TotalMilliseconds;
        if (!_redis.Configured) { return new Held(this, workspace, key, ttl, shared: false); }
        var (answered, taken) = await _redis.TryRunAsync(Use, db => db.StringSetAsync(key, _holder, options.LeaseTtl, When.NotExists));
        if (answered) { Interlocked.Exchange(ref _silentSince, Answering); }
        if (answered ? taken : SilentForALeaseTtl()) { return new Held(this, workspace, key, ttl, shared: answered); }
        _local.TryRemove(workspace, out _);
        return null; // another node runs it, or Redis is silent for now: the next try decides
    }

    private bool SilentForALeaseTtl()
    {
        var now = _time.GetTimestamp();
        var since = Interlocked.CompareExchange(ref _silentSince, now, Answering);
        return since != Answering && _time.GetElapsedTime(since, now) >= options.LeaseTtl;
    }

    private sealed class Held : IAsyncDisposable
    {
        private readonly AttributionLease _lease;
        private readonly string _workspace;
        private readonly RedisKey _key;
        private readonly long _ttl;
        private readonly bool _shared;
        private readonly ITimer? _renewal;

        public Held(AttributionLease lease, string workspace, RedisKey key, long ttl, bool shared)
        {
            (_lease, _workspace, _key, _ttl, _shared) = (lease, workspace, key, ttl, shared);
            if (shared)
            {
                var every = TimeSpan.FromMilliseconds(ttl / 3.0);
                _renewal = lease._time.CreateTimer(_ => _ = RenewAsync(), null, every, every);
            }
        }

        private Task RenewAsync() =>
            _lease._redis.TryRunAsync(Use, db => db.ScriptEvaluateAsync(s_renew, new { key = _key, holder = _lease._holder, ttl = _ttl }));

        public async ValueTask DisposeAsync()
        {
            if (_renewal is not null) { await _renewal.DisposeAsync(); }
            if (_shared) { await _lease._redis.TryRunAsync(Use, db => db.ScriptEvaluateAsync(s_release, new { key = _key, holder = _lease._holder })); }
            _lease._local.TryRemove(_workspace, out _);
        }
    }
}
