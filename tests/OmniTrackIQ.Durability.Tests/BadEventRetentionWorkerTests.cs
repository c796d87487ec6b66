using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>When the retention worker deletes: at start, then every interval of its TimeProvider; a failing pass does not stop it.</summary>
public sealed class BadEventRetentionWorkerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Hands each cutoff asked for to the test; the first <c>failures</c> calls throw as a store that is down would.</summary>
    private sealed class RecordingRetention(int failures = 0) : IBadEventRetention
    {
        private int _calls;

        public Channel<DateTimeOffset> Cutoffs { get; } = Channel.CreateUnbounded<DateTimeOffset>();

        public Task<long> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
        {
            Cutoffs.Writer.TryWrite(cutoff);
            return ++_calls <= failures ? throw new HttpRequestException("store down") : Task.FromResult(0L);
        }
    }

    [Fact]
    public async Task It_deletes_at_start_then_every_interval_with_the_cutoff_moving_along()
    {
        var time = new FakeTimeProvider(Start);
        var retention = new RecordingRetention(failures: 1);
        using var worker = new BadEventRetentionWorker(new BadEventRetentionOptions { RetentionDays = 7, Interval = TimeSpan.FromHours(1) }, retention, time,
            NullLogger<BadEventRetentionWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);

        // The first pass failed (store down): the worker stays and tries again at the next tick.
        Assert.Equal(Start.AddDays(-7), await retention.Cutoffs.Reader.ReadAsync());
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Start.AddDays(-7).AddHours(1), await retention.Cutoffs.Reader.ReadAsync());
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Start.AddDays(-7).AddHours(2), await retention.Cutoffs.Reader.ReadAsync());

        await worker.StopAsync(CancellationToken.None);
        Assert.False(retention.Cutoffs.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(-1, 3600, "OmniTrack:BadEvents:RetentionDays must be 0 (keep forever) or more, not -1")]
    [InlineData(30, 0, "OmniTrack:BadEvents:Interval must be positive, not 00:00:00")]
    public void Bad_options_name_the_setting(int days, int intervalSeconds, string problem) =>
        Assert.Equal(problem, new BadEventRetentionOptions { RetentionDays = days, Interval = TimeSpan.FromSeconds(intervalSeconds) }.Problem());
}
