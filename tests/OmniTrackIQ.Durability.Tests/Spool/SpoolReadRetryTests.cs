using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

public sealed class SpoolReadRetryTests
{
    [Fact]
    public async Task When_reading_the_spool_fails_the_sink_retries_after_a_back_off_on_its_clock_and_keeps_running()
    {
        using var damaged = new DamagedSpool(records: 40); // nothing damaged: the disk fails the reads instead
        var time = new RecordingTimeProvider();
        var store = new DamagedSpool.MemoryStore();
        var spool = SegmentedSpool.Open(damaged.Dir, DamagedSpool.SegmentBytes, NullLogger.Instance);
        var failures = 0;
        var sink = new SinkWriter(spool, new SinkQueue(8), store, StoreReadiness.Ready(), new BadEventQueue(time, new CollectorMetrics()),
            new SinkOptions { BatchSize = 100, MaxBatchAge = TimeSpan.FromHours(1), RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(8) },
            new CollectorMetrics(), time, NullLogger<SinkWriter>.Instance)
        {
            ReadSpool = (directory, from, to) => ++failures <= 2 ? throw new IOException("Input/output error") : SpoolReader.Read(directory, from, to),
        };

        await sink.StartAsync(CancellationToken.None);
        List<TimeSpan> retries = [];
        await Poll.UntilAsync(() => (retries = [.. time.DueTimes.Where(d => d < TimeSpan.FromHours(1))]).Count > 0, TimeSpan.FromSeconds(15));

        // Read at start, read again by the loop, then a back-off: nothing read, nothing stored, the service alive.
        var delay = Assert.Single(retries);
        Assert.InRange(delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal(2, failures);
        Assert.Empty(store.Written);
        Assert.False(sink.ExecuteTask!.IsCompleted);

        time.Advance(delay);
        await Poll.UntilAsync(() =>
        {
            if (spool.Checkpoint >= spool.DurableEnd) { return true; }
            time.Advance(TimeSpan.FromHours(1)); // the sink's batch age runs on this clock
            return false;
        }, TimeSpan.FromSeconds(15));
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(damaged.Records.Select(r => r.Id), store.Written); // every record once, in order, after the disk recovered
        Assert.Equal(spool.DurableEnd, spool.Checkpoint);
        Assert.True(sink.ExecuteTask.IsCompletedSuccessfully);
        spool.Dispose();
    }
}
