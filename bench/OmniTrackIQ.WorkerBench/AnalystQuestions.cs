using System.Diagnostics;
using System.Globalization;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.WorkerBench;

/// <summary>
/// Every question the attribution API answers (issue 21's "interactive answers"), asked through
/// <see cref="IAttributionQueries"/>, the reader the HTTP endpoints call: the summary of each model, compare (every
/// model at once), top paths, coverage, and the on-the-fly lookback and paid-first variants. Each prints its wall time,
/// the process CPU it took, and a figure of the answer (so a before/after pair can be checked for the same answer).
/// The peak RSS of each question alone is read after resetting the kernel's high-water mark (<c>/proc/self/clear_refs</c>).
/// On ClickHouse the work is the server's: <c>serverCpu</c> (StoreBench's probe of clickhouse-server) adds its CPU to each line.
/// <c>OTQ_BENCH_QUESTIONS=a,b</c> asks only the questions whose name contains one of those parts (e.g. <c>compare,markov</c>),
/// so a change to one reader is measured (or profiled) without the others. <c>OTQ_BENCH_REPEAT=n</c> asks each question n times
/// (a line each): under a loaded machine the least CPU of a few asks, JIT warm-up excluded, is the steadier figure.
/// </summary>
internal static class AnalystQuestions
{
    public static async Task AskAsync(IAttributionQueries queries, string workspace, AttributionSettings stored, Func<TimeSpan>? serverCpu = null)
    {
        var peakMb = 0L;
        var repeat = int.TryParse(Environment.GetEnvironmentVariable("OTQ_BENCH_REPEAT"), CultureInfo.InvariantCulture, out var times) ? Math.Max(1, times) : 1;
        var only = Environment.GetEnvironmentVariable("OTQ_BENCH_QUESTIONS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var model in AttributionModels.Names)
        {
            await TimeAsync($"summary model={model}", () => Summary(queries, workspace, [model], null));
        }

        await TimeAsync("compare (9 models)", () => Summary(queries, workspace, AttributionModels.Names, null));
        await TimeAsync("summary model=linear groupBy=campaign", async () =>
            Figure((await queries.SummarizeAsync(workspace, ["linear"], AttributionGroupBy.Campaign, null, null, null, null, CancellationToken.None))["linear"]));
        await TimeAsync("paths top=10", async () =>
        {
            var top = await queries.TopPathsAsync(workspace, 10, null, null, null, CancellationToken.None);
            return $"'{top[0].Path}' x {top[0].Conversions:N0}";
        });
        await TimeAsync("coverage", async () =>
        {
            var coverage = await queries.CoverageAsync(workspace, null, null, CancellationToken.None);
            return string.Create(CultureInfo.InvariantCulture, $"{coverage.Conversions:N0} conversions, {coverage.Matched:N0} matched");
        });

        var lookback7 = stored with { LookbackDays = 7 };
        var paidFirst = stored with { PaidClicksFirst = !stored.PaidClicksFirst };
        var any = stored with { LookbackDays = 0 };
        await TimeAsync("summary model=linear lookbackDays=7 (on the fly)", () => Summary(queries, workspace, ["linear"], lookback7));
        await TimeAsync("summary model=markov lookbackDays=7 (on the fly)", () => Summary(queries, workspace, [AttributionModels.Markov], lookback7));
        await TimeAsync("summary model=shapley lookbackDays=7 (on the fly)", () => Summary(queries, workspace, [AttributionModels.Shapley], lookback7));
        await TimeAsync("summary model=time_decay lookbackDays=any (on the fly)", () => Summary(queries, workspace, ["time_decay"], any));
        await TimeAsync($"summary model=w_shaped paidFirst={paidFirst.PaidClicksFirst} (on the fly)", () => Summary(queries, workspace, ["w_shaped"], paidFirst));
        await TimeAsync("compare lookbackDays=7 (9 models on the fly)", () => Summary(queries, workspace, AttributionModels.Names, lookback7));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS while answering: {peakMb} MB"));

        async Task TimeAsync(string question, Func<Task<string>> ask)
        {
            if (only is not null && !only.Any(part => question.Contains(part, StringComparison.Ordinal))) { return; }
            for (var i = 0; i < repeat; i++) { await TimeOnceAsync(question, ask); }
        }

        async Task TimeOnceAsync(string question, Func<Task<string>> ask)
        {
            ResetPeakRss();
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var server = serverCpu?.Invoke() ?? TimeSpan.Zero;
            var watch = Stopwatch.StartNew();
            var figure = await ask();
            var wall = watch.Elapsed;
            process.Refresh();
            var serverPart = serverCpu is null ? "" : string.Create(CultureInfo.InvariantCulture, $", server CPU {(serverCpu() - server).TotalSeconds:F2} s");
            var peak = PeakRssMb();
            peakMb = Math.Max(peakMb, peak);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {question} | {wall.TotalSeconds:F2} s | CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s{serverPart} | peak RSS {peak} MB | {figure} | load {LoadAverage()} |"));
        }
    }

    private static async Task<string> Summary(IAttributionQueries queries, string workspace, IReadOnlyList<string> models, AttributionSettings? adHoc)
    {
        var answer = await queries.SummarizeAsync(workspace, [.. models], AttributionGroupBy.Channel, null, null, adHoc, null, CancellationToken.None);
        WriteRows(models, adHoc, answer);
        return Figure(answer[models[^1]]);
    }

    /// <summary>
    /// <c>OTQ_BENCH_ANSWERS=&lt;file&gt;</c>: every row of every summary is appended there as the API gives it (rounded), so two
    /// builds' answers are compared whole (<c>diff</c>), not by their top row.
    /// </summary>
    private static void WriteRows(IReadOnlyList<string> models, AttributionSettings? adHoc, Dictionary<string, List<AttributionSummaryRow>> answer)
    {
        var file = Environment.GetEnvironmentVariable("OTQ_BENCH_ANSWERS");
        if (file is null) { return; }
        var question = $"{string.Join('+', models)} {(adHoc is null ? "stored" : $"lookback={adHoc.LookbackDays} paidFirst={adHoc.PaidClicksFirst}")}";
        var lines = answer.SelectMany(a => a.Value.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{question} | {a.Key} | {r.Key} | {r.Conversions:R} | {r.Revenue:R} | {r.Spend:R} | {r.Roas:R} | {r.Cpa:R}")));
        File.AppendAllLines(file, lines);
    }

    /// <summary>The answer's row count and the first row (rounded, as the API gives it), so two builds' answers can be compared.</summary>
    private static string Figure(List<AttributionSummaryRow> rows) =>
        string.Create(CultureInfo.InvariantCulture, $"{rows.Count} rows, top '{rows[0].Key}' {rows[0].Conversions} conv {rows[0].Revenue} rev");

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg")[..14].Trim();

    /// <summary>Writing 5 to clear_refs resets VmHWM (Linux), so the peak that follows is the next step's own (a question, the runs).</summary>
    internal static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    internal static long PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024;
            }
        }

        return -1;
    }
}
