using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// Issue 16: one group commit offers the sink one batch per run of records written back to back, so a burst of pixel
/// hits (one event a request) does not overflow the sink's channel and get read back from disk hit by hit.
/// </summary>
public sealed class SpoolWriterOfferTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-offer-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_group_of_single_event_appends_is_offered_as_one_batch_with_every_event_in_order()
    {
        using var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var queue = new SinkQueue(capacity: 4);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var hits = await QueueHitsAsync(writer, 300); // queued before the loop starts: one group

        await writer.StartAsync(CancellationToken.None);
        var offered = await OfferedAsync(queue, hits.Count);
        await writer.StopAsync(CancellationToken.None);

        var batch = Assert.Single(offered);
        Assert.Equal(hits, batch.Events.Select(e => e.MessageId));
        Assert.Equal(new SpoolPosition(1, 0), batch.Start);
        Assert.Equal(spool.DurableEnd, batch.End);
    }

    [Fact]
    public async Task A_group_the_spool_rolls_in_is_offered_as_one_batch_per_segment_and_the_batches_cover_it_in_order()
    {
        using var spool = SegmentedSpool.Open(_dir, 4096, NullLogger.Instance); // a few dozen hits a segment
        var queue = new SinkQueue(capacity: 64);
        var writer = new SpoolWriter(spool, new SpoolOptions(), queue, NullLogger<SpoolWriter>.Instance);
        var hits = await QueueHitsAsync(writer, 300);

        await writer.StartAsync(CancellationToken.None);
        var offered = await OfferedAsync(queue, hits.Count);
        await writer.StopAsync(CancellationToken.None);

        Assert.True(offered.Count > 1, "the group spans several segments");
        Assert.Equal(hits, offered.SelectMany(b => b.Events).Select(e => e.MessageId));
        for (var i = 0; i < offered.Count; i++)
        {
            Assert.Equal(0, offered[i].Start.Offset); // each run starts its segment (the spool rolled before it)
            Assert.Equal(offered[i].Start.Segment, offered[i].End.Segment);
            if (i > 0) { Assert.Equal(offered[i - 1].End.Segment + 1, offered[i].Start.Segment); }
        }

        Assert.Equal(spool.DurableEnd, offered[^1].End);
        // What was offered is exactly what a read of the spool gives back.
        var onDisk = SpoolReader.Read(_dir, new SpoolPosition(1, 0), spool.DurableEnd).Count();
        Assert.Equal(300, onDisk);
    }

    [Fact]
    public void The_sink_queue_holds_at_most_its_events_but_takes_a_larger_batch_when_empty()
    {
        var queue = new SinkQueue(capacity: 16, maxEvents: 100);
        var position = new SpoolPosition(1, 0);

        Assert.True(queue.TryOffer(Batch(150))); // empty: taken whole, or it could never pass the channel
        Assert.False(queue.TryOffer(Batch(1))); // the rest waits on disk
        Assert.True(queue.TryRead(out var first));
        Assert.Equal(150, first.Events.Count);
        Assert.True(queue.TryOffer(Batch(60)));
        Assert.True(queue.TryOffer(Batch(40))); // exactly at the bound
        Assert.False(queue.TryOffer(Batch(1)));
        Assert.True(queue.TryRead(out _));
        Assert.True(queue.TryOffer(Batch(60))); // reading made room
        Assert.Equal(2, queue.Depth);

        SpooledBatch Batch(int events) =>
            new(position, position, [.. Enumerable.Range(0, events).Select(i => new TrackedEvent { Workspace = "w", MessageId = $"e{i}", Type = EventType.Page })]);
    }

    private static async Task<List<string>> QueueHitsAsync(SpoolWriter writer, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var id = $"hit-{i:D4}";
            ids.Add(id);
            // As the pixel appends: queued for the next group, not waiting for the fsync.
            await writer.AppendAsync([new TrackedEvent { Workspace = "w", MessageId = id, Type = EventType.Page }], waitForDisk: false, CancellationToken.None);
        }

        return ids;
    }

    /// <summary>What the writer offered the sink, read until it holds <paramref name="events"/> events.</summary>
    private static async Task<List<SpooledBatch>> OfferedAsync(SinkQueue queue, int events)
    {
        var offered = new List<SpooledBatch>();
        await Poll.UntilAsync(() =>
        {
            while (queue.TryRead(out var batch)) { offered.Add(batch); }
            return offered.Sum(b => b.Events.Count) >= events;
        });
        return offered;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) { Directory.Delete(_dir, recursive: true); }
    }
}
