using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Deletes <c>bad_events</c> rows older than <see cref="BadEventRetentionOptions.RetentionDays"/>: once at start, then
/// every <see cref="BadEventRetentionOptions.Interval"/> on the injected <see cref="TimeProvider"/> (so tests move time
/// instead of waiting). A failed pass (store down) is logged and tried again at the next tick; it never stops the host.
/// </summary>
public sealed partial class BadEventRetentionWorker(
    BadEventRetentionOptions options, IBadEventRetention retention, TimeProvider time, ILogger<BadEventRetentionWorker> logger) : BackgroundService
{
    /// <summary>The instant before which rows go, for the clock's current time.</summary>
    public DateTimeOffset Cutoff => time.GetUtcNow().AddDays(-options.RetentionDays);

    /// <summary>One pass: deletes what is older than <see cref="Cutoff"/>, returns the rows removed (0 when retention is off).</summary>
    public async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        if (options.RetentionDays == 0) { return 0; }
        var cutoff = Cutoff;
        var removed = await retention.DeleteReceivedBeforeAsync(cutoff, cancellationToken);
        if (removed > 0) { LogPruned(logger, removed, cutoff); }
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.RetentionDays == 0) { return; }
        using var timer = new PeriodicTimer(options.Interval, time);
        try
        {
            do
            {
                try
                {
                    await PruneOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Rows} bad_events rows received before {Cutoff:O}")]
    private static partial void LogPruned(ILogger logger, long rows, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "bad_events retention failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
