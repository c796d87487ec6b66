using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>
/// Issue 17, Redis use 2: a batch one ingest node made durable is not spooled again by another (a client's retry
/// through the balancer), and nothing acknowledged is lost for it: a node that dies before its fsync marks nothing,
/// and with Redis away every node spools everything.
/// </summary>
public sealed class RedisMessageIdsTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_now);
    private readonly WorkspaceSettings _workspace = new() { Id = "ws-" + Guid.NewGuid().ToString("N"), WriteKey = "wk" };

    [SkippableFact]
    public async Task The_same_batch_through_two_nodes_is_spooled_once_and_answered_accepted_by_both()
    {
        await using var nodeA = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);
        await using var nodeB = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);

        var first = await nodeA.AcceptAsync(Batch("m0", "m1", "m2"));
        Assert.True(await MarkedAsync(nodeA.Redis, "m0", "m1", "m2")); // the marks are written after the answer
        var retry = await nodeB.AcceptAsync(Batch("m0", "m1", "m2", "m3")); // the retry carries one event more

        Assert.Equal((3, 4), (first.Answer!.Accepted, retry.Answer!.Accepted));
        Assert.Equal(["m0", "m1", "m2"], nodeA.Spooled());
        Assert.Equal(["m3"], nodeB.Spooled());
        Assert.Equal((3L, 4L), (nodeA.Metrics.AcceptedEvents, nodeB.Metrics.AcceptedEvents));
        Assert.Equal((0L, 3L), (nodeA.Skipped.Get(_workspace.Id), nodeB.Skipped.Get(_workspace.Id)));

        // Another workspace's event with the same id is its own.
        var other = new WorkspaceSettings { Id = _workspace.Id + "-other", WriteKey = "wk2" };
        await nodeB.AcceptAsync(Batch(other, "m0"));
        Assert.Equal(["m3", "m0"], nodeB.Spooled());
    }

    [SkippableFact]
    public async Task A_node_that_dies_before_its_fsync_marks_nothing_and_the_retry_through_another_node_is_spooled()
    {
        await using var redis = await RedisServer.ConnectAsync(_time);
        // The group-commit loop never runs on this node: its append is queued but never fsynced, as when it is killed.
        await using var dying = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time, commits: false);
        await using var survivor = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);
        using var killed = new CancellationTokenSource();

        var unanswered = dying.AcceptAsync(Batch("m0", "m1"), killed.Token);
        await killed.CancelAsync(); // the client got no answer: it retries through the other node
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await unanswered);
        Assert.Equal(0L, await MarkedIds.CountAsync(redis, _workspace.Id, s_now, "m0"));

        var retry = await survivor.AcceptAsync(Batch("m0", "m1"));

        Assert.Equal(2, retry.Answer!.Accepted);
        Assert.Equal(["m0", "m1"], survivor.Spooled());
        Assert.Equal(0L, survivor.Skipped.Get(_workspace.Id));
        Assert.True(await MarkedAsync(redis, "m0", "m1")); // durable now
    }

    [SkippableFact]
    public async Task A_batch_the_spool_refuses_marks_nothing()
    {
        await using var redis = await RedisServer.ConnectAsync(_time);
        await using var full = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time, stopped: true);

        var refused = await full.AcceptAsync(Batch("m0"));

        Assert.True(refused.SpoolUnavailable);
        Assert.Equal(0L, await MarkedIds.CountAsync(redis, _workspace.Id, s_now, "m0"));
    }

    [SkippableFact]
    public async Task With_Redis_away_both_nodes_spool_everything_and_count_the_fallbacks()
    {
        var meters = new RedisServer.TestMeters();
        var away = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50), meters);
        using var fallbacks = new MetricCollector<long>(meters.Meters[0], "otq_redis_fallbacks_total");
        using var dropped = new MetricCollector<long>(meters.Meters[0], "otq_redis_keys_dropped_total");
        await using var nodeA = await Node.StartAsync(away, _time);
        await using var nodeB = await Node.StartAsync(await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50)), _time);

        var first = await nodeA.AcceptAsync(Batch("m0", "m1"));
        var retry = await nodeB.AcceptAsync(Batch("m0", "m1"));

        Assert.Equal((2, 2), (first.Answer!.Accepted, retry.Answer!.Accepted));
        Assert.Equal(["m0", "m1"], nodeA.Spooled());
        Assert.Equal(["m0", "m1"], nodeB.Spooled()); // the store's dedup keeps them once
        // Node A: the look-up before the spool and the mark after it (written after the answer), each fell back once;
        // the two marks that could not be written are counted.
        Assert.True(await Poll.UntilAsync(() => Sum(dropped) == 2));
        Assert.Equal(2L, Sum(fallbacks));
    }

    [SkippableFact]
    public async Task A_Redis_that_dies_with_a_group_queued_loses_no_event_and_counts_the_fallbacks_and_the_dropped_marks()
    {
        await (await RedisServer.ConnectAsync(_time)).DisposeAsync(); // skips (or fails with CI=true) where tests have no redis-server
        var meters = new RedisServer.TestMeters();
        await using var server = await RedisServer.Private.StartAsync();
        var redis = await RedisServer.ConnectAsync(_time, server.Address, TimeSpan.FromSeconds(5), meters);
        Assert.True(await Poll.UntilAsync(async () => await redis.TryRunAsync("test", db => db.PingAsync()) is (true, _)), "no connection to the test's own Redis");
        using var fallbacks = new MetricCollector<long>(meters.Meters[0], "otq_redis_fallbacks_total");
        using var dropped = new MetricCollector<long>(meters.Meters[0], "otq_redis_keys_dropped_total");
        await using var node = await Node.StartAsync(redis, _time, grouped: false);

        // Two requests' look-ups wait in one group; Redis dies before the group's call is made.
        var first = node.AcceptAsync(Batch("m0", "m1"));
        var second = node.AcceptAsync(Batch("m2", "m3"));
        await server.StopAsync();
        await node.StartGroupsAsync();

        Assert.Equal((2, 2), ((await first).Answer!.Accepted, (await second).Answer!.Accepted));
        Assert.Equal(["m0", "m1", "m2", "m3"], node.Spooled().Order(StringComparer.Ordinal));
        Assert.True(await Poll.UntilAsync(() => Sum(dropped) == 4), $"marks dropped: {Sum(dropped)}, not 4");
        // The group's one look-up, and the marks in one call or two (as the two fsyncs fall): each call fell back once.
        Assert.InRange(Sum(fallbacks), 2, 3);
    }

    [SkippableFact]
    public async Task A_durable_id_is_kept_for_the_configured_time_to_live()
    {
        await using var redis = await RedisServer.ConnectAsync(_time);
        var ttl = TimeSpan.FromMinutes(10);
        await using var node = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time, new RedisOptions { MessageIdTtl = ttl });

        await node.AcceptAsync(Batch("m0"));
        Assert.True(await MarkedAsync(redis, "m0"));

        var (answered, left) = await redis.TryRunAsync("test", db => db.KeyTimeToLiveAsync(MarkedIds.Hash(_workspace.Id, s_now)));
        Assert.True(answered);
        Assert.InRange(left!.Value, ttl - TimeSpan.FromMinutes(1), ttl); // Redis counts down on its own clock
    }

    [SkippableFact]
    public async Task A_retry_through_another_node_is_caught_in_the_hash_of_each_events_own_hour_even_when_it_comes_hours_later()
    {
        await using var nodeA = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);
        await using var nodeB = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);
        var early = new DateTimeOffset(2026, 12, 6, 22, 59, 59, 999, TimeSpan.Zero);
        var late = early.AddMilliseconds(1); // the next hour: its own hash

        await nodeA.AcceptAsync(Batch(_workspace, [("m0", early), ("m1", late), ("m2", null)]));
        Assert.True(await MarkedIds.AllAsync(nodeA.Redis, _workspace.Id, early, "m0"));
        Assert.True(await MarkedIds.AllAsync(nodeA.Redis, _workspace.Id, late, "m1"));
        Assert.True(await MarkedIds.AllAsync(nodeA.Redis, _workspace.Id, s_now, "m2")); // no timestamp: the hour it was received
        _time.Advance(TimeSpan.FromHours(5)); // the retry's timestamps are the client's: the hours looked in do not move
        var retry = await nodeB.AcceptAsync(Batch(_workspace, [("m0", early), ("m1", late), ("m3", late)]));

        Assert.Equal(3, retry.Answer!.Accepted);
        Assert.Equal(["m3"], nodeB.Spooled());
        Assert.Equal(2L, nodeB.Skipped.Get(_workspace.Id));
    }

    [SkippableFact]
    public async Task Ids_whose_hashes_collide_are_never_skipped_for_each_other()
    {
        await using var redis = await RedisServer.ConnectAsync(_time);
        await using var node = await Node.StartAsync(await RedisServer.ConnectAsync(_time), _time);
        // As if "m0" and "m1" had the same 8-byte hash and m0 was marked last: m1's field holds "m0".
        Assert.True(await MarkedIds.WriteAsync(redis, _workspace.Id, s_now, ("m1", "m0")));

        var first = await node.AcceptAsync(Batch("m1"));

        Assert.Equal(1, first.Answer!.Accepted);
        Assert.Equal(["m1"], node.Spooled()); // not a duplicate: spooled, never dropped
        Assert.Equal(0L, node.Skipped.Get(_workspace.Id));
        Assert.True(await MarkedAsync(redis, "m1")); // its mark takes the field over
        var retry = await node.AcceptAsync(Batch("m1"));
        Assert.Equal((1, 1L), (retry.Answer!.Accepted, node.Skipped.Get(_workspace.Id))); // and its own retry is caught
        Assert.Equal(["m1"], node.Spooled());
    }

    /// <summary>Whether every id's mark reaches Redis (they are written after the request's answer, by a loop).</summary>
    private Task<bool> MarkedAsync(RedisState redis, params string[] messageIds) => MarkedIds.AllAsync(redis, _workspace.Id, s_now, messageIds);

    private static long Sum(MetricCollector<long> counter) =>
        counter.GetMeasurementSnapshot().Where(m => Equals(m.Tags["use"], "message_ids")).Sum(m => m.Value);

    private IngestBatch Batch(params string[] messageIds) => Batch(_workspace, messageIds);

    private static IngestBatch Batch(WorkspaceSettings workspace, params string[] messageIds) =>
        Batch(workspace, [.. messageIds.Select(id => (id, (DateTimeOffset?)null))]);

    /// <summary>A batch of track events, each with its own client timestamp (none where null).</summary>
    private static IngestBatch Batch(WorkspaceSettings workspace, (string Id, DateTimeOffset? Timestamp)[] items)
    {
        var events = string.Join(",", items.Select(item => $$"""{"type":"track","event":"e","messageId":"{{item.Id}}","anonymousId":"a"{{Timestamp(item.Timestamp)}}}"""));
        var body = Encoding.UTF8.GetBytes($$"""{"batch":[{{events}}]}""");
        Assert.Null(BatchParser.TryParse(body, null, out var parsed));
        return new IngestBatch(IngestRoute.Batch, new IngestRequest(null, null, false, workspace), s_now, parsed.Events, parsed.Rejected) { Body = body };
    }

    private static string Timestamp(DateTimeOffset? at) =>
        at is { } t ? ",\"timestamp\":\"" + t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) + "\"" : "";

    /// <summary>One ingest node: its own spool and group commit, its own Redis connection, the pipeline the collector builds.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-mid-" + Guid.NewGuid().ToString("N"));
        private readonly RedisState _redis;
        private readonly SegmentedSpool _spool;
        private readonly SpoolWriter _writer;
        private readonly IngestPipeline _pipeline;
        private readonly RedisMessageIds _ids;
        private readonly bool _running;

        private Node(RedisState redis, FakeTimeProvider time, RedisOptions options, bool running)
        {
            _redis = redis;
            _running = running;
            _spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
            _writer = new SpoolWriter(_spool, new SpoolOptions(), new SinkQueue(64), NullLogger<SpoolWriter>.Instance);
            _ids = new RedisMessageIds(redis, options);
            _pipeline = new IngestPipeline([], _writer, new SpoolOptions(), new BadEventQueue(time, Metrics), Metrics, time, _ids);
            Skipped = new LabeledTotals(Metrics, "otq_ingest_duplicates_skipped_total", "workspace");
        }

        public CollectorMetrics Metrics { get; } = new();

        public RedisState Redis => _redis;

        public LabeledTotals Skipped { get; }

        /// <param name="commits">False: the group-commit loop never runs (a node about to die before its fsync).</param>
        /// <param name="stopped">True: the loop ran and stopped, so appends fail (the spool cannot take the batch).</param>
        /// <param name="grouped">False: the grouped Redis calls' loops do not run until <see cref="StartGroupsAsync"/>.</param>
        public static async Task<Node> StartAsync(RedisState redis, FakeTimeProvider time, RedisOptions? options = null, bool commits = true, bool stopped = false,
            bool grouped = true)
        {
            var node = new Node(redis, time, options ?? new RedisOptions(), commits);
            if (grouped) { await node.StartGroupsAsync(); }
            if (commits) { await node._writer.StartAsync(CancellationToken.None); }
            if (stopped) { await node._writer.StopAsync(CancellationToken.None); }
            return node;
        }

        public Task StartGroupsAsync() => _ids.StartAsync(CancellationToken.None);

        public async Task<IngestOutcome> AcceptAsync(IngestBatch batch, CancellationToken cancellationToken = default) =>
            await _pipeline.AcceptAsync(batch, cancellationToken);

        /// <summary>The message ids in this node's spool, read back from disk in order.</summary>
        public List<string> Spooled()
        {
            var ids = new List<string>();
            foreach (var record in SpoolReader.Read(_dir, default, _spool.DurableEnd))
            {
                var events = new List<TrackedEvent>();
                Assert.True(SpoolBatchCodec.TryDecode(record.Kind, record.Payload, events, out var error), error);
                ids.AddRange(events.Select(e => e.MessageId));
            }

            return ids;
        }

        public async ValueTask DisposeAsync()
        {
            if (_running) { await _writer.StopAsync(CancellationToken.None); }
            await _ids.StopAsync(CancellationToken.None);
            _writer.Dispose();
            Skipped.Dispose();
            _spool.Dispose();
            await _redis.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
