using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// The message ids any ingest node has made durable, in Redis: <c>otq:mid:{workspace}:{messageId}</c> = 1 for
/// <see cref="RedisOptions.MessageIdTtl"/>. Check before the spool, mark after the fsync: before spooling a batch, one
/// <c>MGET</c> of its keys says which events some node already made durable (those are skipped); after the group commit
/// covered the rest, one script sets their keys (<c>SET … NX PX</c>, the first durable copy's mark stands). Two round
/// trips a request, whatever its number of events.
/// Why not claim the ids up front (<c>SET NX</c> of a "pending" value, upgraded once durable): a copy could never be
/// skipped on a pending mark, since its holder may die before its fsync (kill -9) and the skipped retry would then be
/// lost; the claim would be a second write for nothing. So only "durable" exists, and it is written only once true.
/// The workspace is a hash tag, so a batch's keys share one slot (one <c>MGET</c>, one script, also on a Redis cluster).
/// When Redis does not answer in time nothing is skipped (<see cref="RedisState"/> counts <c>use="message_ids"</c>) and
/// the store's dedup keeps each event once; a mark that fails only lets a later copy be spooled and deduplicated there.
/// </summary>
internal sealed class RedisMessageIds(RedisState redis, RedisOptions options) : IDurableMessageIds
{
    private const string Use = "message_ids";

    /// <summary>KEYS: the batch's ids (prefixed). ARGV[1]: the time to live in ms.</summary>
    private const string MarkScript = "for i = 1, #KEYS do redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) end return #KEYS";

    public async ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var keys = Keys(events);
        var (answered, values) = await redis.TryRunAsync(Use, db => Scoped(db, workspace).StringGetAsync(keys));
        if (!answered) { return null; }
        bool[]? durable = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull) { continue; }
            durable ??= new bool[events.Count];
            durable[i] = true;
        }

        return durable;
    }

    public async ValueTask MarkDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var keys = Keys(events);
        RedisValue[] ttl = [(long)options.MessageIdTtl.TotalMilliseconds];
        await redis.TryRunAsync(Use, db => Scoped(db, workspace).ScriptEvaluateAsync(MarkScript, keys, ttl));
    }

    /// <summary>The workspace's keyspace: the prefix is written by the client, so no key string is built per event.</summary>
    private static IDatabase Scoped(IDatabase db, string workspace) => db.WithKeyPrefix("otq:mid:{" + workspace + "}:");

    private static RedisKey[] Keys(IReadOnlyList<TrackedEvent> events)
    {
        var keys = new RedisKey[events.Count];
        for (var i = 0; i < keys.Length; i++) { keys[i] = events[i].MessageId; }
        return keys;
    }
}
