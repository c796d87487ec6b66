using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>Issue 15: a quiet shop's stored events leave the disk within the segment age, not when 32 MiB fill up.</summary>
public sealed class SegmentAgeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-age-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_segment_is_closed_once_its_first_record_is_as_old_as_the_limit_and_deleted_when_stored()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        using var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance, TimeSpan.FromHours(1), time);
        Assert.Null(spool.RollDueIn); // an empty segment has no age

        time.Advance(TimeSpan.FromMinutes(10));
        spool.Append("first"u8);
        time.Advance(TimeSpan.FromMinutes(30));
        spool.Append("second"u8);
        spool.Flush();
        Assert.Equal(TimeSpan.FromMinutes(30), spool.RollDueIn); // counted from the first record, not the segment's creation

        time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1));
        spool.RollIfDue();
        Assert.Single(Directory.GetFiles(_dir, "*.seg"));

        time.Advance(TimeSpan.FromTicks(1));
        spool.RollIfDue();
        Assert.Equal(2, Directory.GetFiles(_dir, "*.seg").Length);
        Assert.Equal(new SpoolPosition(2, 0), spool.DurableEnd); // the sink may pass the closed segment
        Assert.Null(spool.RollDueIn);

        spool.Commit(spool.DurableEnd);
        Assert.Equal(["000000000002.seg"], Directory.GetFiles(_dir, "*.seg").Select(Path.GetFileName));
        Assert.Equal(0, spool.BytesOnDisk);
    }

    [Fact]
    public async Task A_quiet_spool_rolls_on_its_own_and_the_stored_segment_is_deleted_with_no_further_traffic()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new SpoolOptions { MaxSegmentAge = TimeSpan.FromHours(1) };
        var spool = SegmentedSpool.Open(_dir, options.SegmentBytes, NullLogger.Instance, options.MaxSegmentAge, time);
        var queue = new SinkQueue(16);
        var store = new DamagedSpool.MemoryStore();
        var writer = new SpoolWriter(spool, options, queue, NullLogger<SpoolWriter>.Instance, time);
        var sink = new SinkWriter(spool, queue, store, StoreReadiness.Ready(), new BadEventQueue(time, new CollectorMetrics()), new SinkOptions { MaxBatchAge = TimeSpan.FromSeconds(1) },
            new CollectorMetrics(), time, NullLogger<SinkWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        await sink.StartAsync(CancellationToken.None);

        await writer.AppendAsync([new TrackedEvent { Workspace = "w", MessageId = "only", Type = EventType.Page }], waitForDisk: true, CancellationToken.None);
        var segment = Path.Combine(_dir, "000000000001.seg");
        await Poll.UntilAsync(() => spool.Checkpoint >= spool.DurableEnd || Advanced(time, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(15));
        Assert.Equal(["only"], store.Stored);
        Assert.True(File.Exists(segment)); // stored, but the open segment is not deleted

        time.Advance(TimeSpan.FromHours(1));
        await Poll.UntilAsync(() => !File.Exists(segment) || Advanced(time, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(15));

        Assert.False(File.Exists(segment));
        Assert.Equal(new SpoolPosition(2, 0), spool.Checkpoint);
        Assert.Equal(0, spool.BytesOnDisk);
        await sink.StopAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(["only"], store.Written); // nothing replayed
        spool.Dispose();
    }

    [Fact]
    public void A_spool_past_its_size_rolls_and_a_commit_deletes_every_segment_before_the_checkpoint()
    {
        using var spool = SegmentedSpool.Open(_dir, 100, NullLogger.Instance);
        var ends = new List<SpoolPosition>();
        for (var i = 0; i < 6; i++) { ends.Add(spool.Append(new byte[60]).End); }
        spool.Flush();
        Assert.Equal(6, Directory.GetFiles(_dir, "*.seg").Length); // 76-byte records: one a segment

        spool.Commit(ends[3]);

        Assert.Equal(["000000000004.seg", "000000000005.seg", "000000000006.seg"], Directory.GetFiles(_dir, "*.seg").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3 * 76, spool.BytesOnDisk);
    }

    /// <summary>Moves the sink's clock on between two looks (its batch age and the segment age run on it); always false, so the poll goes on.</summary>
    private static bool Advanced(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan by)
    {
        time.Advance(by);
        return false;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
