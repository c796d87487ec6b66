using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// <c>collector backfill --workspace ID [--from DATE] [--to DATE] [--data-dir DIR] [--lookback-days N]
/// [--paid-first] [--markov-order K]</c>: recomputes the attribution of the people who converted in
/// [from, to) — every conversion when no range is given — with a progress bar on stderr. Settings default
/// to the workspace's configuration (appsettings.json / environment), flags override them. Like
/// import-spend it opens the DuckDB file itself, so run it while the collector is stopped (or use
/// <c>POST /v1/attribution/run</c>).
/// </summary>
internal static class BackfillCommand
{
    public static Command Create()
    {
        var workspace = CommandOptions.RequiredText("--workspace", "ID", "The workspace to recompute.");
        var from = CommandOptions.Date("--from", "First day (or instant) of conversions to recompute, UTC; default: the first.");
        var to = CommandOptions.Date("--to", "End (exclusive) of conversions to recompute, UTC; default: the last.");
        var dataDirectory = CommandOptions.DataDirectory();
        var lookback = CommandOptions.Int("--lookback-days", "N", "Touches this many days before a conversion count (default: the workspace's, else 30).", 0, int.MaxValue);
        var paidFirst = new Option<bool>("--paid-first") { Description = "Prefer paid clicks over later organic touches (default: the workspace's setting)." };
        var markovOrder = CommandOptions.Int("--markov-order", "K", "Markov chain order (default: the workspace's, else 1).", 1, 4);
        var command = new Command("backfill", "Recomputes the attribution of the people who converted in [from, to), with a progress bar on stderr. Run it while the collector is stopped, or use POST /v1/attribution/run.")
        {
            workspace, from, to, dataDirectory, lookback, paidFirst, markovOrder,
        };
        CommandOptions.Validate(command, result =>
        {
            if (result.GetValue(from) >= result.GetValue(to)) { result.AddError("--from must be before --to"); }
        });
        command.SetAction((result, cancellationToken) =>
        {
            var id = result.GetRequiredValue(workspace);
            var configured = (StoreServices.CommandConfiguration().GetSection("OmniTrack:Workspaces").Get<List<WorkspaceSettings>>() ?? []).Find(w => w.Id == id);
            var settings = new AttributionSettings
            {
                LookbackDays = result.GetValue(lookback) ?? configured?.LookbackDays ?? 30,
                PaidClicksFirst = result.GetValue(paidFirst) || (configured?.PaidClicksFirst ?? false),
                MarkovOrder = result.GetValue(markovOrder) ?? configured?.MarkovOrder ?? 1,
            };
            return RunAsync(id, settings, result.GetValue(from), result.GetValue(to), result.GetValue(dataDirectory),
                result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string workspace, AttributionSettings settings, DateTime? from, DateTime? to, string? dataDirectory,
        TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        try
        {
            using var store = await StoreServices.OpenForCommandAsync(dataDirectory, cancellationToken);
            var runner = store.GetRequiredService<IAttributionStore>();
            var bar = new ProgressBar(errors, !Console.IsErrorRedirected);
            var watch = Stopwatch.StartNew();
            var run = await runner.BackfillAsync(workspace, settings, from, to, bar, cancellationToken);
            bar.Finish();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backfilled {run.Conversions} conversions of {run.People} people in {watch.Elapsed.TotalSeconds:F1} s ({(run.Full ? "full recompute" : "range")}, {settings.Key})"));
            return ExitCodes.Ok;
        }
        catch (StoreNotReadyException ex)
        {
            await errors.WriteLineAsync($"backfill: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await errors.WriteLineAsync($"backfill: cannot use the store (an embedded DuckDB file is held by a running collector): {ex.Message}");
            return ExitCodes.Failure;
        }
    }
}
