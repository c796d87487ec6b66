using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class SinkWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-sink-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task When_the_channel_overflows_and_the_store_fails_every_event_is_still_stored_in_order()
    {
        var store = new FlakyStore(failures: 3);
        var spool = SegmentedSpool.Open(_dir, 4096, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 1); // almost every batch overflows and must be read back from disk
        var sinkOptions = new SinkOptions { BatchSize = 7, MaxBatchAge = TimeSpan.FromMilliseconds(5), RetryDelay = TimeSpan.FromMilliseconds(1) };
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        for (var b = 0; b < 50; b++)
        {
            var events = Enumerable.Range(0, 3).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"{b:D3}-{i}", Type = EventType.Page }).ToList();
            await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
        }

        await Poll.UntilAsync(() => store.Ids.Count >= 150);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(3, store.Failures);
        var expected = Enumerable.Range(0, 50).SelectMany(b => Enumerable.Range(0, 3).Select(i => $"{b:D3}-{i}"));
        Assert.Equal(expected, store.Ids);
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        // Overflow read back from disk comes in store batches of about BatchSize (whole records of 3), never all at once.
        Assert.InRange(store.BatchSizes.Max(), 1, 7 + 3 - 1);
        spool.Dispose();
    }

    [Fact]
    public async Task A_backlog_replayed_after_a_restart_is_stored_in_batches_not_one_giant_insert()
    {
        var spool = SegmentedSpool.Open(_dir, 4096, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 8);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        for (var b = 0; b < 200; b++)
        {
            var events = Enumerable.Range(0, 3).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"{b:D3}-{i}", Type = EventType.Page }).ToList();
            await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
        }

        // The sink starts only now, as after a crash: 600 events wait on disk after the checkpoint.
        while (queue.TryRead(out _)) { }
        var store = new FlakyStore(failures: 0);
        var sinkOptions = new SinkOptions { BatchSize = 50, MaxBatchAge = TimeSpan.FromMilliseconds(5), RetryDelay = TimeSpan.FromMilliseconds(1) };
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await sink.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => store.Ids.Count >= 600);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        var expected = Enumerable.Range(0, 200).SelectMany(b => Enumerable.Range(0, 3).Select(i => $"{b:D3}-{i}"));
        Assert.Equal(expected, store.Ids);
        Assert.InRange(store.BatchSizes.Max(), 50, 50 + 3 - 1);
        Assert.True(store.BatchSizes.Count >= 600 / 52, string.Join(",", store.BatchSizes));
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        spool.Dispose();
    }

    [Fact]
    public async Task Concurrent_writers_with_overflow_and_segment_rolls_lose_nothing()
    {
        var spool = SegmentedSpool.Open(_dir, 16 * 1024, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 4);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var store = new FlakyStore(failures: 0);
        var sinkOptions = new SinkOptions { BatchSize = 64, MaxBatchAge = TimeSpan.FromMilliseconds(2), RetryDelay = TimeSpan.FromMilliseconds(1) };
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        await Parallel.ForEachAsync(Enumerable.Range(0, 8), async (client, _) =>
        {
            for (var b = 0; b < 150; b++)
            {
                var events = Enumerable.Range(0, 5).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"{client}-{b:D3}-{i}", Type = EventType.Page }).ToList();
                await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
            }
        });

        await Poll.UntilAsync(() => store.Ids.Count >= 6000);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(6000, store.Ids.Distinct().Count());
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        spool.Dispose();
    }

    [Fact]
    public async Task Events_the_store_refuses_go_to_bad_events_alone_and_the_sink_keeps_draining()
    {
        var time = new RecordingTimeProvider();
        var store = new RefusingStore(poison: ["b0-3", "b0-8", "b2-5"]);
        var badEvents = new BadEventQueue(time, new CollectorMetrics(), perWorkspacePerSecond: 1); // store refusals must not be cut by the budget
        var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var sinkOptions = new SinkOptions { BatchSize = 10, MaxBatchAge = TimeSpan.FromHours(1) }; // fake time never ages a batch
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), badEvents, sinkOptions, new CollectorMetrics(), time, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        for (var b = 0; b < 3; b++)
        {
            var events = Enumerable.Range(0, 10).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"b{b}-{i}", Type = EventType.Page, ReceivedAt = time.GetUtcNow() }).ToList();
            events[3].EmailClearText = "Ann@Example.com"; // as the privacy enricher leaves it, hash set, clear text never spooled
            events[3].EmailSha256 = "ab12";
            await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
        }

        await Poll.UntilAsync(() => store.Stored.Count >= 27 && store.BadEvents.Count >= 3);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        var good = Enumerable.Range(0, 3).SelectMany(b => Enumerable.Range(0, 10).Select(i => $"b{b}-{i}")).Except(["b0-3", "b0-8", "b2-5"]);
        Assert.Equal(good.Order(StringComparer.Ordinal), store.Stored.Order(StringComparer.Ordinal)); // each good event exactly once
        var bad = store.BadEvents.OrderBy(e => e.Payload, StringComparer.Ordinal).ToList();
        Assert.Equal(3, bad.Count);
        Assert.All(bad, e => Assert.Equal("w", e.Workspace));
        Assert.All(bad, e => Assert.StartsWith("store_rejected: Code: 407. DECIMAL_OVERFLOW in b", e.Reason, StringComparison.Ordinal));
        Assert.All(bad, e => Assert.DoesNotContain("Example.com", e.Payload, StringComparison.OrdinalIgnoreCase));
        var first = System.Text.Json.JsonDocument.Parse(bad[0].Payload).RootElement;
        Assert.Equal("b0-3", first.GetProperty("messageId").GetString());
        Assert.Equal("ab12", first.GetProperty("emailSha256").GetString());
        Assert.EndsWith("b0-3", bad[0].Reason, StringComparison.Ordinal);
        Assert.Equal(spool.DurableEnd, spool.Checkpoint); // passed like stored events: nothing is replayed, nothing blocks
        Assert.DoesNotContain(time.DueTimes, d => d < TimeSpan.FromHours(1)); // a refusal is split at once, never retried with back-off
        spool.Dispose();
    }

    [Fact]
    public async Task A_transient_failure_is_retried_after_a_jittered_back_off_on_the_injected_clock()
    {
        var time = new RecordingTimeProvider();
        var store = new RefusingStore(poison: [], transientFailures: 2);
        var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var sinkOptions = new SinkOptions { BatchSize = 5, MaxBatchAge = TimeSpan.FromHours(1), RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(8) };
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(time, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), time, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);
        var events = Enumerable.Range(0, 5).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"t-{i}", Type = EventType.Page }).ToList();
        await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);

        var first = await RetryDelayAsync(time, store, attempts: 1, index: 0);
        Assert.InRange(first, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        time.Advance(first - TimeSpan.FromTicks(1));
        Assert.Equal(1, store.Attempts); // the timer has not fired: no retry before its delay on the sink's clock
        time.Advance(TimeSpan.FromTicks(1));
        var second = await RetryDelayAsync(time, store, attempts: 2, index: 1);
        Assert.InRange(second, TimeSpan.FromSeconds(1), TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(8).Ticks, first.Ticks * 3)));
        time.Advance(second);
        await Poll.UntilAsync(() => store.Stored.Count >= 5);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(3, store.Attempts);
        Assert.Equal(events.Select(e => e.MessageId), store.Stored);
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        spool.Dispose();
    }

    /// <summary>Waits (bounded) until the store saw <paramref name="attempts"/> writes and the sink asked the clock for its retry delay.</summary>
    private static async Task<TimeSpan> RetryDelayAsync(RecordingTimeProvider time, RefusingStore store, int attempts, int index)
    {
        List<TimeSpan> retries = [];
        await Poll.UntilAsync(() =>
        {
            retries = [.. time.DueTimes.Where(d => d < TimeSpan.FromHours(1))];
            return store.Attempts == attempts && retries.Count > index;
        });

        Assert.Equal(attempts, store.Attempts);
        Assert.Equal(index + 1, retries.Count);
        return retries[index];
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class FlakyStore(int failures) : IEventStore
    {
        private int _remainingFailures = failures;
        public int Failures { get; private set; }
        public List<string> Ids { get; } = [];
        public List<int> BatchSizes { get; } = [];

        public Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
        {
            if (_remainingFailures-- > 0)
            {
                Failures++;
                throw new IOException("store down");
            }

            lock (Ids)
            {
                Ids.AddRange(events.Select(e => e.MessageId));
                BatchSizes.Add(events.Count);
            }

            return Task.FromResult(events.Count);
        }

        public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
        public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
