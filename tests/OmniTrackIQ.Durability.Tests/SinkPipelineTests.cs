using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>
/// The sink as a pipeline (issue 16): batch n+1 is taken while batch n is written, yet the checkpoint only ever
/// passes stored batches, in order, and a write cut short by the stop is written again by the drain.
/// </summary>
public sealed class SinkPipelineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-sinkpipe-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_next_batch_is_taken_while_one_is_written_and_the_checkpoint_waits_for_the_write()
    {
        var (spool, queue, writer, sink, store) = await StartAsync();
        var start = spool.Checkpoint;
        await writer.AppendAsync(Events("a"), waitForDisk: true, CancellationToken.None);
        await WaitUntilAsync(() => store.Calls == 1);
        var afterFirst = spool.DurableEnd;

        await writer.AppendAsync(Events("b"), waitForDisk: true, CancellationToken.None);
        await WaitUntilAsync(() => queue.Depth == 0); // the fill took batch b from the channel with a's write still blocked

        Assert.Equal(1, store.Calls);
        Assert.Equal(start, spool.Checkpoint);
        store.Release();
        await WaitUntilAsync(() => store.Ids.Count == 6);
        await WaitUntilAsync(() => spool.Checkpoint == spool.DurableEnd);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"], store.Ids);
        Assert.Equal(2, store.Calls);
        Assert.True(afterFirst < spool.DurableEnd);
        spool.Dispose();
    }

    [Fact]
    public async Task A_write_cut_short_by_the_stop_is_written_again_before_anything_after_it_is_checkpointed()
    {
        var (spool, _, writer, sink, store) = await StartAsync();
        await writer.AppendAsync(Events("a"), waitForDisk: true, CancellationToken.None);
        await WaitUntilAsync(() => store.Calls == 1);
        await writer.AppendAsync(Events("b"), waitForDisk: true, CancellationToken.None);

        await sink.StopAsync(CancellationToken.None); // cancels a's blocked write: the drain writes a, then b
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"], store.Ids);
        Assert.Equal(3, store.Calls);
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        spool.Dispose();
    }

    [Fact]
    public async Task Nothing_is_written_before_the_stores_start_up_step_has_finished_and_the_spool_drains_once_it_has()
    {
        var readiness = new StoreReadiness();
        var (spool, _, writer, sink, store) = await StartAsync(readiness);
        store.Release();
        var start = spool.Checkpoint;
        await writer.AppendAsync(Events("a"), waitForDisk: true, CancellationToken.None);
        await writer.AppendAsync(Events("b"), waitForDisk: true, CancellationToken.None);

        Assert.Equal(0, store.Calls); // the sink waits for the step: nothing can have been written
        Assert.Equal(start, spool.Checkpoint);
        readiness.MarkReady();
        await WaitUntilAsync(() => spool.Checkpoint == spool.DurableEnd);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["a-0", "a-1", "a-2", "b-0", "b-1", "b-2"], store.Ids);
        spool.Dispose();
    }

    [Fact]
    public async Task A_sink_stopped_before_the_store_was_ready_leaves_everything_in_the_spool()
    {
        var (spool, _, writer, sink, store) = await StartAsync(new StoreReadiness());
        var start = spool.Checkpoint;
        await writer.AppendAsync(Events("a"), waitForDisk: true, CancellationToken.None);

        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(0, store.Calls);
        Assert.Equal(start, spool.Checkpoint);
        Assert.True(start < spool.DurableEnd);
        spool.Dispose();
    }

    private async Task<(SegmentedSpool, SinkQueue, SpoolWriter, SinkWriter, GatedStore)> StartAsync(StoreReadiness? readiness = null)
    {
        var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var store = new GatedStore();
        // Batches are cut by size only (an hour's age never comes): each appended record of 3 is one store batch.
        var options = new SinkOptions { BatchSize = 3, MaxBatchAge = TimeSpan.FromHours(1) };
        var sink = new SinkWriter(spool, queue, store, readiness ?? StoreReadiness.Ready(), new BadEventQueue(TimeProvider.System, new CollectorMetrics()), options, new CollectorMetrics(), TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);
        return (spool, queue, writer, sink, store);
    }

    private static List<TrackedEvent> Events(string batch) =>
        [.. Enumerable.Range(0, 3).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"{batch}-{i}", Type = EventType.Page })];

    /// <summary>Polls a condition the sink's background loop brings about, bounded, then asserts it.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition) => Assert.True(await Poll.UntilAsync(condition));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Its first write waits for <see cref="Release"/> (or the sink's cancellation); every later one stores at once.</summary>
    private sealed class GatedStore : IEventStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);
        public List<string> Ids { get; } = [];

        public void Release() => _gate.TrySetResult();

        public async Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1) { await _gate.Task.WaitAsync(cancellationToken); }
            lock (Ids) { Ids.AddRange(events.Select(e => e.MessageId)); }
            return events.Count;
        }

        public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
        public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
