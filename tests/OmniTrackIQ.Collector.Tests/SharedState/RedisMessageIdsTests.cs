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
        Assert.True(await redis.TryRunAsync("test", db => db.KeyExistsAsync(Key("m0"))) is (true, false));

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
        Assert.True(await redis.TryRunAsync("test", db => db.KeyExistsAsync(Key("m0"))) is (true, false));
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

        var (answered, left) = await redis.TryRunAsync("test", db => db.KeyTimeToLiveAsync(Key("m0")));
        Assert.True(answered);
        Assert.InRange(left!.Value, ttl - TimeSpan.FromMinutes(1), ttl); // Redis counts down on its own clock
    }

    private string Key(string messageId) => "otq:mid:{" + _workspace.Id + "}:" + messageId;

    /// <summary>Whether every id's mark reaches Redis (they are written after the request's answer, by a loop).</summary>
    private Task<bool> MarkedAsync(RedisState redis, params string[] messageIds) =>
        Poll.UntilAsync(async () => await redis.TryRunAsync("test", db => db.KeyExistsAsync([.. messageIds.Select(id => (StackExchange.Redis.RedisKey)Key(id))]))
            is (true, var found) && found == messageIds.Length);

    private static long Sum(MetricCollector<long> counter) =>
        counter.GetMeasurementSnapshot().Where(m => Equals(m.Tags["use"], "message_ids")).Sum(m => m.Value);

    private IngestBatch Batch(params string[] messageIds) => Batch(_workspace, messageIds);

    private static IngestBatch Batch(WorkspaceSettings workspace, params string[] messageIds)
    {
        var events = string.Join(",", messageIds.Select(id => $$"""{"type":"track","event":"e","messageId":"{{id}}","anonymousId":"a"}"""));
        var body = Encoding.UTF8.GetBytes($$"""{"batch":[{{events}}]}""");
        Assert.Null(BatchParser.TryParse(body, null, out var parsed));
        return new IngestBatch(IngestRoute.Batch, new IngestRequest(null, null, false, workspace), s_now, parsed.Events, parsed.Rejected) { Body = body };
    }

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
