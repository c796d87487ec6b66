using System.Collections.Concurrent;
using System.Text;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// The message ids any ingest node has made durable, in Redis: <c>otq:mid:{workspace}:{messageId}</c> = 1 for
/// <see cref="RedisOptions.MessageIdTtl"/>. Check before the spool, mark after the fsync: before spooling a batch, an
/// <c>MGET</c> of its keys says which events some node already made durable (those are skipped); after the group commit
/// covered the rest, a script sets their keys (<c>SET … NX PX</c>, the first durable copy's mark stands).
/// Why not claim the ids up front (<c>SET NX</c> of a "pending" value, upgraded once durable): a copy could never be
/// skipped on a pending mark, since its holder may die before its fsync (kill -9) and the skipped retry would then be
/// lost; the claim would be a second write for nothing. So only "durable" exists, and it is written only once true.
/// Concurrent requests share their calls (<see cref="GroupedCalls{T}"/>, bench/RESULTS.md "Session 10: Redis calls
/// coalesced"): one <c>MGET</c> answers every look-up that queued while the previous one was out, one script sets the
/// marks of every request that queued meanwhile. A request waits for its look-up (at most twice the timeout: the call
/// before its own, and its own), never for its mark: the mark is a hint for the other nodes, and one that does not reach
/// Redis (queue full, Redis away, the node stopping) is counted in <c>otq_redis_keys_dropped_total{use="message_ids"}</c>.
/// The workspace is a hash tag and a call holds one workspace's keys, so each call is one slot (also on a Redis cluster).
/// When Redis does not answer in time nothing is skipped (<see cref="RedisState"/> counts <c>use="message_ids"</c>) and
/// the store's dedup keeps each event once; a mark that fails only lets a later copy be spooled and deduplicated there.
/// </summary>
internal sealed class RedisMessageIds : IDurableMessageIds, IHostedService
{
    /// <summary>Requests whose look-up may wait for a call at once; one more is not looked up (nothing skipped).</summary>
    internal const int LookupQueueCapacity = 1_024;

    /// <summary>Requests whose marks may wait for a call at once; one more request's marks are dropped, and counted.</summary>
    internal const int MarkQueueCapacity = 4_096;

    private const string Use = "message_ids";

    /// <summary>KEYS: the ids (prefixed). ARGV[1]: the time to live in ms.</summary>
    private const string MarkScript = "for i = 1, #KEYS do redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) end return #KEYS";

    private readonly RedisState _redis;
    private readonly RedisValue[] _ttl;
    private readonly GroupedCalls<Lookup> _lookups;
    private readonly GroupedCalls<Mark> _marks;
    private readonly ConcurrentDictionary<string, RedisKey> _prefixes = new(StringComparer.Ordinal);

    public RedisMessageIds(RedisState redis, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _ttl = [(long)options.MessageIdTtl.TotalMilliseconds];
        _lookups = new GroupedCalls<Lookup>(LookupQueueCapacity, LookUpAsync);
        _marks = new GroupedCalls<Mark>(MarkQueueCapacity, MarkAsync);
    }

    public async ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lookup = new Lookup(workspace, Ids(events));
        if (!_lookups.TryAdd(lookup))
        {
            _redis.FellBack(Use, "look-up queue full");
            return null;
        }

        try
        {
            return await lookup.Answer.Task.WaitAsync(2 * _redis.Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            _redis.FellBack(Use, "look-up not answered in time");
            return null;
        }
    }

    public ValueTask MarkDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (!_marks.TryAdd(new Mark(workspace, Ids(events)))) { _redis.Dropped(Use, events.Count); }
        return ValueTask.CompletedTask;
    }

    /// <summary>Starts the two loops when Redis is configured (else this use is never asked).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis.Configured)
        {
            _lookups.Start();
            _marks.Start();
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes both queues; the marks already queued are still written.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lookups.StopAsync(cancellationToken);
        await _marks.StopAsync(cancellationToken);
    }

    /// <summary>One <c>MGET</c> of one workspace's queued look-ups; each request gets its own slice of the answer.</summary>
    private async Task LookUpAsync(string workspace, ArraySegment<Lookup> lookups, int count)
    {
        var (answered, values) = await _redis.TryRunAsync(Use, db => Scoped(db, workspace).StringGetAsync(Keys(lookups, count)));
        var at = 0;
        foreach (var lookup in lookups)
        {
            bool[]? durable = null;
            for (var i = 0; answered && i < lookup.Ids.Length; i++)
            {
                if (values[at + i].IsNull) { continue; }
                durable ??= new bool[lookup.Ids.Length];
                durable[i] = true;
            }

            at += lookup.Ids.Length;
            lookup.Answer.TrySetResult(durable);
        }
    }

    /// <summary>One script for one workspace's queued marks; the keys of a call that fails are counted as dropped.</summary>
    private async Task MarkAsync(string workspace, ArraySegment<Mark> marks, int count)
    {
        var (answered, _) = await _redis.TryRunAsync(Use, db => Scoped(db, workspace).ScriptEvaluateAsync(MarkScript, Keys(marks, count), _ttl));
        if (!answered) { _redis.Dropped(Use, count); }
    }

    /// <summary>The shares' ids as one key array (the workspace's prefix is added by the client).</summary>
    private static RedisKey[] Keys<T>(ArraySegment<T> shares, int count) where T : IMessageIdShare
    {
        var keys = new RedisKey[count];
        var at = 0;
        foreach (var share in shares)
        {
            foreach (var id in share.Ids) { keys[at++] = id; }
        }

        return keys;
    }

    /// <summary>The workspace's keyspace: the prefix's bytes are made once per workspace and written by the client.</summary>
    private IDatabase Scoped(IDatabase db, string workspace) =>
        db.WithKeyPrefix(_prefixes.GetOrAdd(workspace, static w => (RedisKey)Encoding.UTF8.GetBytes("otq:mid:{" + w + "}:")));

    private static string[] Ids(IReadOnlyList<TrackedEvent> events)
    {
        var ids = new string[events.Count];
        for (var i = 0; i < ids.Length; i++) { ids[i] = events[i].MessageId; }
        return ids;
    }

    private interface IMessageIdShare : IGroupedShare
    {
        string[] Ids { get; }
    }

    private sealed record Lookup(string Group, string[] Ids) : IMessageIdShare
    {
        public int Size => Ids.Length;

        /// <summary>Completed by the loop; the request goes on on a pool thread, never on the loop's.</summary>
        public TaskCompletionSource<bool[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct Mark(string Group, string[] Ids) : IMessageIdShare
    {
        public int Size => Ids.Length;
    }
}
