using System.Diagnostics;
using System.Globalization;
using OmniTrackIQ.Attribution.Runs;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.MemoryProbe;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.WorkerBench;

// End-to-end attribution worker benchmark on the embedded store (bench/RESULTS.md "Attribution worker"):
//   dotnet run -c Release --project bench/OmniTrackIQ.WorkerBench -- [conversions=1000000] [non-converting people=500000]
// DuckDB with 1 thread like the collector, but memory_limit 4GB (OTQ_BENCH_DUCKDB_MEMORY to change it). Measures a full recompute, an idle
// incremental tick, and an incremental tick after 1,000 new converting people; the baseline is DuckDB
// itself scanning and grouping the same events (the floor any worker over this store pays).
// Peak RSS is printed per phase (the load, the runs, each question), the kernel's high-water mark reset between them:
// the process peak is the largest of them (an outside tool's maximum, e.g. /usr/bin/time's, then holds only the last phase's).
// OTQ_BENCH_DUCKDB_FILE=<path>: the database is that file and is kept; when the file is already there (an earlier run's), the
// load and the runs are skipped and only the analyst's questions are asked, so a change to the readers is measured in seconds.
// OTQ_BENCH_RANGE_ROWS=<n>: the full recompute's journey rows a range (OmniTrack:DuckDb:RecomputeRangeRows, default 1,000,000).
// OTQ_BENCH_FULL_STEPS=1: the full recompute's steps are timed too (a getrusage call a few times per person: the run's own
// figure grows by that, so compare the headline figure without it).
// OTQ_MEMORY_PROBE=<file>: the process's memory sampled into that file every 0.5 s by owner (kernel, GC, glibc, DuckDB's
// jemalloc and buffer manager), a line per phase between (bench/OmniTrackIQ.MemoryProbe).
// OTQ_BENCH_TICKS_ONLY=1 with a kept file that is already there: only the ticks run over it (two of 1,000 new converting
// people, one of 1,000 returning ones), so a change to the tick is measured on a copy of one file in seconds.
// OTQ_BENCH_QUERY_METRICS=1: each tick's statements follow its steps, with DuckDB's CPU time and rows scanned (QueryMetrics).
// OTQ_BENCH_FULL_ONLY=1 with a kept file that is already there: only a full recompute runs over it (its first run's fill of
// journey_events is done), so the full run is measured, or tried at a lower DuckDB limit, on a copy of one file.
var conversions = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var nonConverting = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 500_000;
var keptFile = Environment.GetEnvironmentVariable("OTQ_BENCH_DUCKDB_FILE");
var fullSteps = Environment.GetEnvironmentVariable("OTQ_BENCH_FULL_STEPS") == "1";
var dir = keptFile is null ? Path.Combine(Path.GetTempPath(), "otq-workerbench-" + Guid.NewGuid().ToString("N")) : null;
try
{
    var memoryLimit = Environment.GetEnvironmentVariable("OTQ_BENCH_DUCKDB_MEMORY") ?? "4GB";
    var questionsOnly = keptFile is not null && File.Exists(keptFile);
    using var database = new DuckDbDatabase(keptFile ?? Path.Combine(dir!, "bench.duckdb"), memoryLimit, threads: 1);
    Console.WriteLine($"DuckDB memory_limit {memoryLimit}, 1 thread");
    System.Data.Common.DbConnection? probeConnection = null;
    using var probe = Environment.GetEnvironmentVariable("OTQ_MEMORY_PROBE") is { Length: > 0 } probeFile
        ? new MemorySampler(probeFile, () => MemorySampler.DuckDbMemory(probeConnection ??= database.OpenReader()))
        : null;
    probe?.Mark("load");
    var rangeRows = Environment.GetEnvironmentVariable("OTQ_BENCH_RANGE_ROWS") is { Length: > 0 } rangeSetting ? int.Parse(rangeSetting, CultureInfo.InvariantCulture) : 1_000_000;
    var runner = new AttributionRunner(database, TimeProvider.System, rangeRows);
    var timed = new TimedRunStore(runner); // the same run as the runner's, with each step of it timed
    var orchestrator = new AttributionOrchestrator(timed);
    var settings = new AttributionSettings();
    if (questionsOnly && Environment.GetEnvironmentVariable("OTQ_BENCH_TICKS_ONLY") == "1")
    {
        Console.WriteLine($"ticks only, over the kept {keptFile}");
        await TicksAsync(conversions + nonConverting + 10_000, "k"); // people and tags the file's own ticks did not use
        return;
    }

    if (questionsOnly && Environment.GetEnvironmentVariable("OTQ_BENCH_FULL_ONLY") == "1")
    {
        Console.WriteLine($"full recompute only, over the kept {keptFile}");
        await FullAsync();
        return;
    }

    if (questionsOnly)
    {
        Console.WriteLine($"questions only, over the kept {keptFile}");
        await AnalystQuestions.AskAsync(new DuckDbAttributionQueries(database), "bench", new AttributionSettings());
        return;
    }

    var watch = Stopwatch.StartNew();
    const long Chunk = 250_000;
    for (var first = 0L; first < conversions + nonConverting; first += Chunk)
    {
        var people = Math.Min(Chunk, conversions + nonConverting - first);
        var converting = Math.Clamp(conversions - first, 0, people);
        await database.WriteAsync(c => { SyntheticEvents.Insert(c, first, people, converting, "x"); return 0; }, CancellationToken.None);
    }

    var events = await database.WriteAsync(c => SyntheticEvents.Count(c, "SELECT count(*) FROM events"), CancellationToken.None);
    Report("load synthetic events (SQL)", watch.Elapsed, $"{events:N0} events");
    // The load is the bench's, not the collector's (its sink writes 10k-row batches): the runs' peak is read apart from it.
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS of the load: {AnalystQuestions.PeakRssMb()} MB"));
    AnalystQuestions.ResetPeakRss();

    probe?.Mark("grouping baseline");
    watch.Restart();
    var grouped = await database.WriteAsync(c => SyntheticEvents.Count(c,
        "SELECT count(*) FROM (SELECT anonymous_id, list(channel ORDER BY ts) FROM events WHERE workspace = 'bench' GROUP BY anonymous_id)"), CancellationToken.None);
    Report("baseline: DuckDB groups every person's touches", watch.Elapsed, $"{grouped:N0} people");

    var before = Process.GetCurrentProcess().WorkingSet64;
    probe?.Mark("full recompute");
    await FullAsync();

    probe?.Mark("ticks");
    watch.Restart();
    var idle = await runner.RunAsync("bench", settings, CancellationToken.None);
    Report("incremental tick, nothing new", watch.Elapsed, $"{idle.People} people");

    await TicksAsync(conversions + nonConverting, "");

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS of the runs (grouping baseline, full recompute, ticks; the load excluded): {AnalystQuestions.PeakRssMb()} MB"));

    // What an analyst waits for: every question of the attribution API, through the reader the endpoints use.
    probe?.Mark("answers");
    await AnalystQuestions.AskAsync(new DuckDbAttributionQueries(database), "bench", settings);

    var rows = await database.WriteAsync(c => SyntheticEvents.Count(c, "SELECT count(*) FROM attribution_touches"), CancellationToken.None);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attribution_touches rows: {rows:N0}; working set before the full run {before / 1048576} MB"));

    async Task FullAsync()
    {
        var fullCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var fullWatch = Stopwatch.StartNew();
        using var heap = new ManagedHeapPeak();
        using var duckDbPeaks = new DuckDbMemoryPeaks(database);
        AttributionRun full;
        try
        {
            full = await (fullSteps ? orchestrator : (IAttributionStore)runner).RecomputeAsync("bench", settings, null, CancellationToken.None);
        }
        finally
        {
            Console.WriteLine($"DuckDB memory by tag during the full recompute, peak MB in memory/in temp files: {duckDbPeaks}");
        }

        var fullTime = fullWatch.Elapsed;
        using (var afterFull = Process.GetCurrentProcess())
        {
            Report("full recompute (9 models)" + (fullSteps ? ", its steps timed" : ""), fullTime,
                $"{full.Conversions:N0} conversions, {full.People:N0} people, {full.Conversions / fullTime.TotalSeconds:N0} conversions/s; CPU {(afterFull.TotalProcessorTime - fullCpu).TotalSeconds:F2} s");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS of the grouping baseline and the full recompute: {AnalystQuestions.PeakRssMb()} MB; managed heap peak of the full recompute (sampled): {heap}"));
        heap.Dispose();
        if (fullSteps)
        {
            foreach (var line in timed.Report()) { Console.WriteLine(line); }
        }
    }

    // Twice, each after 1,000 more people, so one figure's noise shows; then once after 1,000 people of the history come
    // back and convert again (their stored rows are spread over every table). The steps of each tick follow it.
    async Task TicksAsync(long firstNewPerson, string tag)
    {
        if (QueryMetrics.Enabled) { await database.WriteAsync(c => { QueryMetrics.Start(c); return 0; }, CancellationToken.None); }
        for (var tick = 0; tick < 3; tick++)
        {
            var returning = tick == 2;
            await database.WriteAsync(c =>
            {
                if (returning) { SyntheticEvents.Return(c, conversions, 1000, tag + "r"); }
                else { SyntheticEvents.Insert(c, firstNewPerson + (tick * 1000), 1000, 1000, tag + "y" + tick); }
                return 0;
            }, CancellationToken.None);
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var tickWatch = Stopwatch.StartNew();
            var incremental = await orchestrator.RunAsync("bench", settings, CancellationToken.None);
            process.Refresh();
            Report(returning ? "incremental tick, 1,000 returning converting people (spread over the history)" : "incremental tick, 1,000 new converting people",
                tickWatch.Elapsed, $"{incremental.Conversions:N0} conversions, {incremental.People:N0} people; CPU {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s");
            foreach (var line in timed.Report()) { Console.WriteLine(line); }
            if (QueryMetrics.Enabled)
            {
                foreach (var line in await database.WriteAsync(QueryMetrics.Take, CancellationToken.None)) { Console.WriteLine(line); }
            }
        }
    }
}
finally
{
    if (dir is not null)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

static void Report(string what, TimeSpan elapsed, string detail) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {elapsed.TotalSeconds:F2} s | {detail} |"));
