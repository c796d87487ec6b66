using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class SinkWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-sink-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WhenTheChannelOverflowsAndTheStoreFailsEveryEventIsStillStoredInOrder()
    {
        var store = new FlakyStore(failures: 3);
        var spool = SegmentedSpool.Open(_dir, 4096, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 1); // almost every batch overflows and must be read back from disk
        var sinkOptions = new SinkOptions { BatchSize = 7, MaxBatchAge = TimeSpan.FromMilliseconds(5), RetryDelay = TimeSpan.FromMilliseconds(1) };
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var sink = new SinkWriter(spool, queue, store, new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        for (var b = 0; b < 50; b++)
        {
            var events = Enumerable.Range(0, 3).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"{b:D3}-{i}", Type = EventType.Page }).ToList();
            await writer.AppendAsync(events, waitForDisk: true, CancellationToken.None);
        }

        for (var i = 0; i < 400 && store.Ids.Count < 150; i++) { await Task.Delay(10); }
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
        while (queue.Reader.TryRead(out _)) { }
        var store = new FlakyStore(failures: 0);
        var sinkOptions = new SinkOptions { BatchSize = 50, MaxBatchAge = TimeSpan.FromMilliseconds(5), RetryDelay = TimeSpan.FromMilliseconds(1) };
        var sink = new SinkWriter(spool, queue, store, new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await sink.StartAsync(CancellationToken.None);
        for (var i = 0; i < 400 && store.Ids.Count < 600; i++) { await Task.Delay(10); }
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
        var sink = new SinkWriter(spool, queue, store, new BadEventQueue(TimeProvider.System, new CollectorMetrics()), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
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

        for (var i = 0; i < 1000 && store.Ids.Count < 6000; i++) { await Task.Delay(10); }
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(6000, store.Ids.Distinct().Count());
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        spool.Dispose();
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

        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
