using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// Issue 16: pixel hits (appends nobody waits for) are committed at most once per <see cref="SpoolOptions.HitCommitInterval"/>,
/// so one fsync covers more of them; a batch someone waits for never waits for that interval. The writer runs on a
/// stopped clock: hits are held until the test moves it on, never because the machine is slow.
/// </summary>
public sealed class HitCommitIntervalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-hit-interval-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private int _batches; // how many batches the last OfferedAsync read

    [Fact]
    public async Task Hits_after_a_commit_wait_for_the_interval_and_are_then_committed_together()
    {
        using var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions { HitCommitInterval = TimeSpan.FromSeconds(1) }, queue, NullLogger<SpoolWriter>.Instance, _time);
        await writer.StartAsync(CancellationToken.None);

        await HitAsync(writer, "first"); // no commit before it: committed at once
        Assert.Equal(["first"], await OfferedAsync(queue, 1));
        var durable = spool.DurableEnd;

        await HitAsync(writer, "h1");
        await HitAsync(writer, "h2");
        await HitAsync(writer, "h3");
        Assert.False(await Poll.UntilAsync(() => queue.Depth > 0, TimeSpan.FromMilliseconds(300)), "hits committed before the interval passed");
        Assert.Equal(durable, spool.DurableEnd);

        var offered = await OfferedAsync(queue, 3, advance: true);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["h1", "h2", "h3"], offered);
        Assert.Equal(1, _batches); // one group: one fsync for the three
    }

    [Fact]
    public async Task A_batch_someone_waits_for_is_committed_at_once_with_the_hits_held_before_it()
    {
        using var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions { HitCommitInterval = TimeSpan.FromHours(1) }, queue, NullLogger<SpoolWriter>.Instance, _time);
        await writer.StartAsync(CancellationToken.None);
        await HitAsync(writer, "first");
        await OfferedAsync(queue, 1);

        await HitAsync(writer, "h1");
        Assert.False(await Poll.UntilAsync(() => queue.Depth > 0, TimeSpan.FromMilliseconds(300)), "the hit was committed before the interval passed");
        // The clock never moves: only the batch can end the hit's wait, and the batch must not wait an hour.
        await writer.AppendAsync([Event("b1")], waitForDisk: true, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["h1", "b1"], await OfferedAsync(queue, 2));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_no_interval_every_hit_is_committed_without_waiting_for_the_clock()
    {
        using var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 16);
        var writer = new SpoolWriter(spool, new SpoolOptions { HitCommitInterval = TimeSpan.Zero }, queue, NullLogger<SpoolWriter>.Instance, _time);
        await writer.StartAsync(CancellationToken.None);

        await HitAsync(writer, "first");
        await OfferedAsync(queue, 1);
        await HitAsync(writer, "h1");

        Assert.Equal(["h1"], await OfferedAsync(queue, 1));
        await writer.StopAsync(CancellationToken.None);
    }

    private static ValueTask HitAsync(SpoolWriter writer, string id) =>
        writer.AppendAsync([Event(id)], waitForDisk: false, CancellationToken.None); // as the pixel appends

    private static TrackedEvent Event(string id) => new() { Workspace = "w", MessageId = id, Type = EventType.Page };

    /// <summary>The ids the writer offered the sink, read until there are <paramref name="events"/>; with <paramref name="advance"/> the clock moves on between looks.</summary>
    private async Task<List<string>> OfferedAsync(SinkQueue queue, int events, bool advance = false)
    {
        var ids = new List<string>();
        _batches = 0;
        Assert.True(await Poll.UntilAsync(() =>
        {
            while (queue.TryRead(out var batch))
            {
                _batches++;
                ids.AddRange(batch.Events.Select(e => e.MessageId));
            }

            if (advance && ids.Count < events) { _time.Advance(TimeSpan.FromMilliseconds(100)); }
            return ids.Count >= events;
        }), $"offered {ids.Count} of {events} events");
        return ids;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) { Directory.Delete(_dir, recursive: true); }
    }
}
