using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// The store's start-up step in the server (<see cref="IStoreMigrations"/>). The host's start waits for the first attempt
/// (at most <see cref="FirstAttemptBudget"/>), so with its store up the collector is ready from its first request; a
/// store that is down or slow does not hold the start: the collector starts and accepts into its spool, the failure is
/// recorded in <see cref="StoreReadiness"/> (which <c>/readyz</c> reports), and the step is tried again in the background
/// with the sink's back-off (<c>OmniTrack:Sink:RetryDelay</c>, <c>MaxRetryDelay</c>) until the server answers. Until then
/// the sink waits and every reader answers 503 <c>store_not_ready</c>. The embedded DuckDB store is ready once it opens.
/// </summary>
internal sealed partial class StoreStartup(IStoreMigrations migrations, StoreReadiness readiness, SinkOptions sink, TimeProvider time, ILogger<StoreStartup> logger)
    : BackgroundService
{
    /// <summary>How long the host's start waits for the first attempt before it goes on without the store.</summary>
    public static readonly TimeSpan FirstAttemptBudget = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        try
        {
            await _firstAttempt.Task.WaitAsync(FirstAttemptBudget, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A store that neither answers nor refuses: the attempt goes on in the background.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new RetryBackoff(sink.RetryDelay, sink.MaxRetryDelay);
        try
        {
            while (true)
            {
                try
                {
                    await migrations.MigrateAsync(stoppingToken);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    var delay = backoff.Next();
                    readiness.MarkFailed("its migrations could not run yet: " + ex.Message);
                    LogNotReady(delay, ex);
                    _firstAttempt.TrySetResult();
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before the store answered: the next start runs the step again.
        }
        finally
        {
            _firstAttempt.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store's migrations cannot run yet; the spool keeps accepting, retrying in {Delay}")]
    private partial void LogNotReady(TimeSpan delay, Exception exception);
}
