using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Console;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// <c>collector drain-spool --spool DIR [--data-dir DIR]</c>: loads what another node's spool holds after its checkpoint
/// into the store this node's settings name (an ingest node whose disk survived its machine: docs/RUNBOOK.md). It is
/// the collector's own sink (<see cref="SinkWriter"/>) run once over that spool, so everything the spool guarantees
/// holds: records are stored in order and the checkpoint follows them, the store's dedup keeps an event once (a
/// segment half stored before the crash is fine), damaged records are quarantined and reported as
/// <c>spool_corrupt</c>, and a second run finds nothing after the checkpoint. The spool's lock (flock) is taken
/// first: a spool a live collector holds is <see cref="ExitCodes.Refused"/>, as is a folder with no segments.
/// </summary>
internal static class DrainSpoolCommand
{
    /// <summary>How often the drain looks at the checkpoint; the sink writes a short last batch after this long too.</summary>
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    public static Command Create()
    {
        var spool = CommandOptions.RequiredText("--spool", "DIR",
            "The spool directory of the node to drain (its OmniTrack:Spool:Directory; by default DATA_DIR/spool).");
        var dataDirectory = CommandOptions.DataDirectory();
        var command = new Command("drain-spool",
            "Stores what a stopped node's spool holds after its checkpoint, once, in the store this collector's settings name. Refuses a spool a running collector holds.")
        {
            spool, dataDirectory,
        };
        command.SetAction((result, cancellationToken) => RunAsync(Path.GetFullPath(result.GetRequiredValue(spool)), result.GetValue(dataDirectory),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string directory, string? dataDirectory, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        // Opening a spool makes its folder and lock file: a mistyped path must not become an empty spool.
        if (!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.seg").Any())
        {
            await errors.WriteLineAsync($"drain-spool: {directory} holds no spool segments (*.seg): name the node's OmniTrack:Spool:Directory (nothing drained)");
            return ExitCodes.Refused;
        }

        using var loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter<ConsoleLoggerProvider>(level => level >= LogLevel.Information)
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace)); // stdout is the report
        SegmentedSpool spool;
        try
        {
            spool = SegmentedSpool.Open(directory, new SpoolOptions().SegmentBytes, loggers.CreateLogger<SegmentedSpool>());
        }
        catch (SpoolInUseException ex)
        {
            await errors.WriteLineAsync($"drain-spool: {ex.Message}: a live collector drains its own spool; stop it first (nothing drained)");
            return ExitCodes.Refused;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"drain-spool: cannot open the spool {directory}: {ex.Message}");
            return ExitCodes.Failure;
        }

        using (spool)
        {
            try
            {
                using var store = StoreServices.ForCommand(dataDirectory);
                return await DrainAsync(spool, store, loggers, output, errors, cancellationToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
            {
                await errors.WriteLineAsync($"drain-spool: the store failed: {ex.Message} (an embedded DuckDB file must not be held by a running collector; the spool keeps what was not stored)");
                return ExitCodes.Failure;
            }
        }
    }

    /// <summary>Runs the sink over the spool until its checkpoint reaches the end the spool had when opened, then stops it (which drains).</summary>
    private static async Task<int> DrainAsync(SegmentedSpool spool, IServiceProvider store, ILoggerFactory loggers, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken)
    {
        var events = store.GetRequiredService<IEventStore>();
        await events.InitializeAsync(cancellationToken); // a store that does not answer fails here, not in an endless retry
        var time = store.GetRequiredService<TimeProvider>();
        var metrics = new CollectorMetrics();
        var sink = new SinkWriter(spool, new SinkQueue(1), events, new BadEventQueue(time, metrics), new SinkOptions { MaxBatchAge = s_poll }, metrics, time,
            loggers.CreateLogger<SinkWriter>());
        var (from, end) = (spool.Checkpoint, spool.DurableEnd);
        var interrupted = false;
        await sink.StartAsync(CancellationToken.None);
        try
        {
            while (spool.Checkpoint < end) { await Task.Delay(s_poll, time, cancellationToken); }
        }
        catch (OperationCanceledException)
        {
            interrupted = true;
        }
        finally
        {
            await sink.StopAsync(CancellationToken.None);
        }

        var report = string.Create(CultureInfo.InvariantCulture,
            $"{metrics.ReplayedRecords} records from {from} to {spool.Checkpoint}: {metrics.RowsWritten} events stored, {metrics.RowsDeduplicated} already in the store, {metrics.SpoolCorruptRecords} damaged stretches quarantined (bad_events: spool_corrupt)");
        if (interrupted || spool.Checkpoint < end)
        {
            await errors.WriteLineAsync($"drain-spool: stopped before the end ({end}) of {spool.DirectoryPath}; {report}. Run it again for the rest.");
            return ExitCodes.Failure;
        }

        await output.WriteLineAsync($"drained {spool.DirectoryPath}: {report}");
        return ExitCodes.Ok;
    }
}
