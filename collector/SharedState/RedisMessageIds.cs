using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

namespace OmniTrackIQ.Collector.SharedState;

/// <summary>
/// The message ids any ingest node has made durable, in Redis: a hash per workspace and hour of the events' own client
/// timestamps, <c>otq:mid:{workspace}:{unix hour}</c>, whose field is the 8-byte XxHash64 of a message id and whose value
/// is the id itself; its expiry (<see cref="RedisOptions.MessageIdTtl"/>) is renewed by every mark, so an id is known at
/// least that long after its mark. A client's retry sends the same message id and timestamp again (Segment's clients
/// do), so it looks in the same hash, through whichever node (an event without a timestamp: the hour it was received).
/// Check before the spool, mark after the fsync: before spooling a batch, an <c>HMGET</c> of its fields says which events
/// some node already made durable (those are skipped); after the group commit covered the rest, a plain <c>HSET</c> of
/// their fields and one <c>EXPIRE</c> per hash (no script). An event is skipped only when the value found is its own
/// message id: two ids whose hashes collide never drop one of them (the later mark overwrites the field, the earlier id
/// then reads as unknown and is spooled, and the store's dedup keeps it once), so the hash costs at most a missed hint.
/// Why not claim the ids up front (a "pending" mark, upgraded once durable): a copy could never be skipped on a pending
/// mark, since its holder may die before its fsync (kill -9) and the skipped retry would then be lost; the claim would be
/// a second write for nothing. So only "durable" exists, and it is written only once true.
/// Concurrent requests share their calls (<see cref="GroupedCalls{T}"/>, bench/RESULTS.md "Session 10: Redis calls
/// coalesced"): one round trip answers every look-up that queued while the previous one was out (an <c>HMGET</c> per
/// hash, pipelined), one writes the marks of every request that queued meanwhile. A request waits for its look-up (at most
/// twice the timeout: the call before its own, and its own), never for its mark: the mark is a hint for the other nodes,
/// and one that does not reach Redis (queue full, Redis away, the node stopping) is counted in
/// <c>otq_redis_keys_dropped_total{use="message_ids"}</c>.
/// The workspace is a hash tag and a call holds one workspace's hashes, so each call is one slot (also on a Redis cluster).
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

    private readonly RedisState _redis;
    private readonly TimeSpan _ttl;
    private readonly GroupedCalls<Lookup> _lookups;
    private readonly GroupedCalls<Mark> _marks;
    private readonly ConcurrentDictionary<string, RedisKey> _prefixes = new(StringComparer.Ordinal);

    public RedisMessageIds(RedisState redis, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _ttl = options.MessageIdTtl;
        _lookups = new GroupedCalls<Lookup>(LookupQueueCapacity, LookUpAsync);
        _marks = new GroupedCalls<Mark>(MarkQueueCapacity, MarkAsync);
    }

    public async ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lookup = new Lookup(workspace, DurableIds.Of(events));
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
        if (!_marks.TryAdd(new Mark(workspace, DurableIds.Of(events)))) { _redis.Dropped(Use, events.Count); }
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

    /// <summary>The hash an event's id is marked in (the workspace's prefix included), for tests and operators.</summary>
    internal static RedisKey HashOf(string workspace, TrackedEvent evt) => Prefix(workspace).Append(Hour(evt).ToString(CultureInfo.InvariantCulture));

    /// <summary>The field an id is marked under: the 8-byte XxHash64 of its UTF-16 code units.</summary>
    internal static byte[] FieldOf(string messageId)
    {
        var field = new byte[8];
        WriteField(messageId, field);
        return field;
    }

    private static void WriteField(string messageId, Span<byte> field) => XxHash64.Hash(MemoryMarshal.AsBytes(messageId.AsSpan()), field);

    /// <summary>One round trip for one workspace's queued look-ups (an <c>HMGET</c> per hash); each request gets its slice.</summary>
    private async Task LookUpAsync(string workspace, ArraySegment<Lookup> lookups, int count)
    {
        var ids = DurableIds.Join(lookups, count);
        var (answered, values) = await _redis.TryRunAsync(Use, db => FindAsync(Scoped(db, workspace), ids));
        var at = 0;
        foreach (var lookup in lookups)
        {
            bool[]? durable = null;
            for (var i = 0; answered && i < lookup.Ids.Count; i++)
            {
                // Only the id itself counts: a field another id's hash collided into reads as unknown, never as durable.
                if (values[at + i].IsNull || !string.Equals((string?)values[at + i], lookup.Ids.Id(i), StringComparison.Ordinal)) { continue; }
                durable ??= new bool[lookup.Ids.Count];
                durable[i] = true;
            }

            at += lookup.Ids.Count;
            lookup.Answer.TrySetResult(durable);
        }
    }

    /// <summary>One round trip for one workspace's queued marks; the ids of a call that fails are counted as dropped.</summary>
    private async Task MarkAsync(string workspace, ArraySegment<Mark> marks, int count)
    {
        var ids = DurableIds.Join(marks, count);
        var (answered, _) = await _redis.TryRunAsync(Use, db => WriteAsync(Scoped(db, workspace), ids));
        if (!answered) { _redis.Dropped(Use, count); }
    }

    /// <summary>The stored value for each id, in order (null where its field is not set): an <c>HMGET</c> per hour's hash, pipelined.</summary>
    private static async Task<RedisValue[]> FindAsync(IDatabase db, DurableIds ids)
    {
        var found = new RedisValue[ids.Count];
        var hours = ids.ByHour();
        var reads = new Task<RedisValue[]>[hours.Count];
        for (var h = 0; h < hours.Count; h++)
        {
            var (hour, positions) = hours[h];
            var fields = new RedisValue[positions.Count];
            for (var i = 0; i < fields.Length; i++) { fields[i] = ids.Field(positions[i]); }
            reads[h] = db.HashGetAsync(hour, fields);
        }

        for (var h = 0; h < hours.Count; h++)
        {
            var values = await reads[h];
            var positions = hours[h].Positions;
            for (var i = 0; i < values.Length; i++) { found[positions[i]] = values[i]; }
        }

        return found;
    }

    /// <summary>An <c>HSET</c> of the ids' fields and an <c>EXPIRE</c> per hour's hash, pipelined.</summary>
    private async Task<bool> WriteAsync(IDatabase db, DurableIds ids)
    {
        var writes = new List<Task>(2);
        foreach (var (hour, positions) in ids.ByHour())
        {
            var entries = new HashEntry[positions.Count];
            for (var i = 0; i < entries.Length; i++) { entries[i] = new HashEntry(ids.Field(positions[i]), ids.Id(positions[i])); }
            writes.Add(db.HashSetAsync(hour, entries));
            writes.Add(db.KeyExpireAsync(hour, _ttl));
        }

        await Task.WhenAll(writes);
        return true;
    }

    /// <summary>The workspace's keyspace: the prefix's bytes are made once per workspace and written by the client.</summary>
    private IDatabase Scoped(IDatabase db, string workspace) => db.WithKeyPrefix(_prefixes.GetOrAdd(workspace, Prefix));

    private static RedisKey Prefix(string workspace) => (RedisKey)Encoding.UTF8.GetBytes("otq:mid:{" + workspace + "}:");

    /// <summary>The hour (since the Unix epoch) of the event's own timestamp as the client sent it (a retry sends it
    /// again), else of its receipt.</summary>
    private static long Hour(TrackedEvent evt) => (evt.Timestamp ?? evt.ReceivedAt).ToUnixTimeSeconds() / 3600;

    private interface IMessageIdShare : IGroupedShare
    {
        DurableIds Ids { get; }
    }

    private sealed record Lookup(string Group, DurableIds Ids) : IMessageIdShare
    {
        public int Size => Ids.Count;

        /// <summary>Completed by the loop; the request goes on on a pool thread, never on the loop's.</summary>
        public TaskCompletionSource<bool[]?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct Mark(string Group, DurableIds Ids) : IMessageIdShare
    {
        public int Size => Ids.Count;
    }

    /// <summary>
    /// A request's (or a call's) message ids as the Redis layout needs them: each id, its hour and its 8-byte field (one
    /// array for all the fields). Copied from the events: the request may reuse its list before its mark is written.
    /// </summary>
    private sealed class DurableIds
    {
        private readonly string[] _ids;
        private readonly long[] _hours;
        private readonly byte[] _fields;

        private DurableIds(string[] ids, long[] hours, byte[] fields) => (_ids, _hours, _fields) = (ids, hours, fields);

        public int Count => _ids.Length;

        public string Id(int i) => _ids[i];

        public ReadOnlyMemory<byte> Field(int i) => _fields.AsMemory(8 * i, 8);

        public static DurableIds Of(IReadOnlyList<TrackedEvent> events)
        {
            var ids = new string[events.Count];
            var hours = new long[events.Count];
            var fields = new byte[8 * events.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = events[i].MessageId;
                hours[i] = Hour(events[i]);
                WriteField(ids[i], fields.AsSpan(8 * i, 8));
            }

            return new DurableIds(ids, hours, fields);
        }

        /// <summary>The shares' ids in queue order, as one.</summary>
        public static DurableIds Join<T>(ArraySegment<T> shares, int count) where T : IMessageIdShare
        {
            if (shares.Count == 1) { return shares[0].Ids; }
            var ids = new string[count];
            var hours = new long[count];
            var fields = new byte[8 * count];
            var at = 0;
            foreach (var share in shares)
            {
                share.Ids._ids.CopyTo(ids, at);
                share.Ids._hours.CopyTo(hours, at);
                share.Ids._fields.CopyTo(fields, 8 * at);
                at += share.Ids.Count;
            }

            return new DurableIds(ids, hours, fields);
        }

        /// <summary>The positions of each hour's ids, as the hour's hash key (without the workspace prefix); usually one hour.</summary>
        public List<(RedisKey Hour, List<int> Positions)> ByHour()
        {
            var byHour = new List<(long Hour, List<int> Positions)>(1);
            for (var i = 0; i < _hours.Length; i++)
            {
                var at = 0;
                while (at < byHour.Count && byHour[at].Hour != _hours[i]) { at++; }
                if (at == byHour.Count) { byHour.Add((_hours[i], new List<int>(_hours.Length))); }
                byHour[at].Positions.Add(i);
            }

            return byHour.ConvertAll(h => ((RedisKey)h.Hour.ToString(CultureInfo.InvariantCulture), h.Positions));
        }
    }
}
