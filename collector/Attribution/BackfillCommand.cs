using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// <c>collector backfill --workspace ID [--from DATE] [--to DATE] [--data-dir DIR] [--lookback-days N]
/// [--paid-first] [--markov-order K]</c>: recomputes the attribution of the people who converted in
/// [from, to) — every conversion when no range is given — with a progress bar on stderr. Settings default
/// to the workspace's configuration (appsettings.json / environment), flags override them. Like
/// import-spend it opens the DuckDB file itself, so run it while the collector is stopped (or use
/// <c>POST /v1/attribution/run</c>). Exit codes: 0 done, 1 usage or database error.
/// </summary>
internal static class BackfillCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        string? workspace = null, dataDirectory = null;
        DateTime? from = null, to = null;
        int? lookback = null, markovOrder = null;
        var paidFirst = false;
        for (var i = 0; i < args.Length; i++)
        {
            var hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--workspace" when hasValue: workspace = args[++i]; break;
                case "--data-dir" when hasValue: dataDirectory = args[++i]; break;
                case "--from" when hasValue && TryDate(args[i + 1], out var f): from = f; i++; break;
                case "--to" when hasValue && TryDate(args[i + 1], out var t): to = t; i++; break;
                case "--lookback-days" when hasValue && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var l): lookback = l; i++; break;
                case "--markov-order" when hasValue && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 4: markovOrder = k; i++; break;
                case "--paid-first": paidFirst = true; break;
                default:
                    await errors.WriteLineAsync($"backfill: unexpected or invalid argument '{args[i]}'");
                    return Usage(errors);
            }
        }

        if (string.IsNullOrWhiteSpace(workspace)) { return Usage(errors); }
        if (from >= to)
        {
            await errors.WriteLineAsync("backfill: --from must be before --to");
            return 1;
        }

        var configuration = Hosting.StoreServices.CommandConfiguration();
        var configured = (configuration.GetSection("OmniTrack:Workspaces").Get<List<WorkspaceSettings>>() ?? []).Find(w => w.Id == workspace);
        var settings = new AttributionSettings
        {
            LookbackDays = lookback ?? configured?.LookbackDays ?? 30,
            PaidClicksFirst = paidFirst || (configured?.PaidClicksFirst ?? false),
            MarkovOrder = markovOrder ?? configured?.MarkovOrder ?? 1,
        };
        try
        {
            using var store = Hosting.StoreServices.ForCommand(dataDirectory);
            var runner = store.GetRequiredService<IAttributionStore>();
            var bar = new ProgressBar(errors, !Console.IsErrorRedirected);
            var watch = Stopwatch.StartNew();
            var run = await runner.BackfillAsync(workspace, settings, from, to, bar, CancellationToken.None);
            bar.Finish();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backfilled {run.Conversions} conversions of {run.People} people in {watch.Elapsed.TotalSeconds:F1} s ({(run.Full ? "full recompute" : "range")}, {settings.Key})"));
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await errors.WriteLineAsync($"backfill: cannot use the store (an embedded DuckDB file is held by a running collector): {ex.Message}");
            return 1;
        }
    }

    private static bool TryDate(string text, out DateTime value)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed);
        value = parsed.UtcDateTime;
        return ok;
    }

    private static int Usage(TextWriter errors)
    {
        errors.WriteLine("usage: backfill --workspace ID [--from DATE] [--to DATE] [--data-dir DIR] [--lookback-days N] [--paid-first] [--markov-order 1-4]");
        return 1;
    }
}
