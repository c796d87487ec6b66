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
        var sink = new SinkWriter(spool, queue, store, new BadEventQueue(), sinkOptions, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
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

        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
        {
            if (_remainingFailures-- > 0)
            {
                Failures++;
                throw new IOException("store down");
            }

            lock (Ids) { Ids.AddRange(events.Select(e => e.MessageId)); }
            return Task.FromResult(events.Count);
        }

        public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
        public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
