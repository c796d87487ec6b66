using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Every <see cref="AttributionWorkerOptions.IntervalSeconds"/>, brings each workspace's attribution up to
/// date incrementally: only the people whose events arrived since the last tick are recomputed (see
/// <see cref="IAttributionStore.RunAsync"/>); a tick with nothing new costs one query per workspace.
/// </summary>
internal sealed partial class AttributionWorker : BackgroundService
{
    private readonly AttributionWorkerOptions _options;
    private readonly IAttributionStore _store;
    private readonly WorkspaceRegistry _workspaces;
    private readonly ILogger<AttributionWorker> _logger;
    private readonly CollectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AttributionLease _lease;

    public AttributionWorker(AttributionWorkerOptions options, IAttributionStore store, WorkspaceRegistry workspaces, CollectorMetrics metrics,
        AttributionLease lease, TimeProvider time, ILogger<AttributionWorker> logger)
    {
        _lease = lease;
        _time = time;
        _metrics = metrics;
        _options = options;
        _store = store;
        _workspaces = workspaces;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.IntervalSeconds <= 0) { return; }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.IntervalSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var workspace in _workspaces.All)
                {
                    // Another run of this workspace (a recompute here, or any run on another node) holds it: its next tick comes.
                    await using var held = await _lease.TryAcquireAsync(workspace.Id);
                    if (held is null)
                    {
                        LogLeasedElsewhere(_logger, workspace.Id);
                        continue;
                    }

                    try
                    {
                        var started = _time.GetTimestamp();
                        var run = await _store.RunAsync(workspace.Id, WorkspaceAttribution.SettingsOf(workspace), stoppingToken);
                        var finished = _time.GetTimestamp();
                        _metrics.AttributionRun(run.Conversions, _time.GetElapsedTime(started, finished));
                        LogRun(_logger, workspace.Id, run.Conversions, started, finished);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // One failing workspace (or a store hiccup) must not stop the others or the next tick.
                        _metrics.AttributionFailed();
                        LogRunFailed(_logger, workspace.Id, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>
    /// One line per run, while the lease is still held: the monotonic timestamps (Stopwatch ticks, one clock for every
    /// process of a machine) let the runs of several nodes be laid side by side (the two-node chaos test does).
    /// </summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Attribution run of workspace {Workspace}: {Conversions} conversions, held from tick {Started} to tick {Finished}")]
    private static partial void LogRun(ILogger logger, string workspace, int conversions, long started, long finished);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Attribution of workspace {Workspace} is running elsewhere (or Redis is silent for now); going on to the next workspace")]
    private static partial void LogLeasedElsewhere(ILogger logger, string workspace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attribution run failed for workspace {Workspace}")]
    private static partial void LogRunFailed(ILogger logger, string workspace, Exception exception);
}
