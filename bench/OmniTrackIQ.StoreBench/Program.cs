using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.StoreBench;
using OmniTrackIQ.WorkerBench;
using OmniTrackIQ.Attribution.Runs;

// Issue 12 store benchmarks (bench/RESULTS.md "ClickHouse store (issue 12)"). From the repository root:
//   dotnet bench/OmniTrackIQ.StoreBench/bin/Release/net10.0/linux-x64/OmniTrackIQ.StoreBench.dll insert <spool dir> [rounds=2] [batch=10000]
//     reads a spool's records (as the sink does), then alternates per round: raw RowBinary insert of every batch (the
//     store's own rows serialised before timing, POSTed as bytes: the server's rate) into otq_bench_raw, then
//     ClickHouseEventStore.WriteEventsAsync with its defaults and with the existence check on every batch into
//     otq_bench_store, each into a freshly dropped database; in the last round the write once more over the full table by
//     the same store (its filter) and by a new one (the existence check alone).
//   dotnet bench/OmniTrackIQ.StoreBench/bin/Release/net10.0/linux-x64/OmniTrackIQ.StoreBench.dll worker <duckdb|clickhouse> [conversions=1000000] [non-converting=500000] [load batch=100000]
//     the phases of OTQ_BENCH_PHASES (default load,baseline,full,idle,ticks; also percent, questions): loads the synthetic shop through
//     IEventStore.WriteEventsAsync (OTQ_BENCH_LOAD=raw: ClickHouse loads without the existence check), ClickHouse's own
//     grouping of every person's touches (the baseline), IAttributionStore.RecomputeAsync, an idle RunAsync, two ticks
//     (OTQ_BENCH_TICKS) after 1,000 new converting people each with every step timed (TimedRunStore; ClickHouse with LoadMarkMargin 0), and
//     RunAsync after 1 % more people (ClickHouse also a second 1 % with LoadMarkMargin 0), every analyst question through
//     IAttributionQueries (WorkerBench's AnalystQuestions, with the server's CPU). Figures give this process's CPU
//     and the server's (OTQ_BENCH_CLICKHOUSE_PID, else the first clickhouse-server found) and the load average.
//     OTQ_BENCH_DATABASE / OTQ_BENCH_WORKSPACE name where; OTQ_BENCH_KEEP=1 keeps the database and reuses its events.
// ClickHouse at OTQ_BENCH_CLICKHOUSE (default Host=127.0.0.1;Port=8123) and OTQ_BENCH_CLICKHOUSE_URL (its HTTP address for the bench's
// own SQL, default http://127.0.0.1:8123/), database otq_bench_worker / _raw / _store (dropped at the end);
// DuckDB in a temp dir, 1 thread, memory_limit OTQ_BENCH_DUCKDB_MEMORY (default 4GB, as WorkerBench).
var host = Environment.GetEnvironmentVariable("OTQ_BENCH_CLICKHOUSE") ?? "Host=127.0.0.1;Port=8123";
// The server's HTTP address for the bench's own SQL, and its pid for RSS and CPU (several servers may run on one machine).
var httpUrl = Environment.GetEnvironmentVariable("OTQ_BENCH_CLICKHOUSE_URL") ?? "http://127.0.0.1:8123/";
var serverPid = int.TryParse(Environment.GetEnvironmentVariable("OTQ_BENCH_CLICKHOUSE_PID"), out var givenPid) ? givenPid : ServerPid();
using var http = new HttpClient { BaseAddress = new Uri(httpUrl), Timeout = TimeSpan.FromMinutes(30) };

return args.FirstOrDefault() switch
{
    "insert" => await InsertAsync(args[1], Arg(2, 2), (int)Arg(3, 10_000)),
    "duckdb-write" => await DuckDbWrite.RunAsync((int)Arg(1, 40), (int)Arg(2, 10_000)),
    "worker" => await WorkerAsync(args[1], Arg(2, 1_000_000), Arg(3, 500_000), (int)Arg(4, 100_000)),
    _ => Usage(),
};

async Task<int> InsertAsync(string spoolDir, long rounds, int batchSize)
{
    var watch = Stopwatch.StartNew();
    var records = SpoolReader.Read(spoolDir, new SpoolPosition(0, 0), new SpoolPosition(long.MaxValue, long.MaxValue)).Where(r => !r.Damaged).ToList();
    var read = watch.Elapsed;
    watch.Restart();
    var all = new List<TrackedEvent>();
    foreach (var record in records)
    {
        if (!SpoolBatchCodec.TryDecode(record.Kind, record.Payload, all, out var error)) { throw new InvalidDataException($"spool record at {record.Start}: {error}"); }
    }

    var parse = watch.Elapsed;
    var bytes = records.Sum(r => (long)r.Payload.Length);
    Console.WriteLine(Invariant($"spool: {records.Count:N0} records, {bytes / 1048576.0:F0} MB, {all.Count:N0} events; read {read.TotalSeconds:F2} s; decode (SpoolBatchCodec) {parse.TotalSeconds:F2} s = {all.Count / parse.TotalSeconds:N0} events/s"));
    var batches = all.Chunk(batchSize).Select(c => (IReadOnlyList<TrackedEvent>)c).ToList();
    Console.WriteLine(Invariant($"{batches.Count} batches of {batchSize}"));

    // The raw baseline's bodies: each batch as the store's own RowBinary rows, built before any timing.
    var bodies = batches.Select((batch, i) => Internals.RowBinary(batch, (ulong)i + 1)).ToList();
    var insertSql = "INSERT INTO {0}.events (" + string.Join(", ", Internals.EventColumnNames) + ") FORMAT RowBinary";
    Console.WriteLine(Invariant($"RowBinary bodies: {bodies.Sum(b => (long)b.Length) / 1048576.0:F0} MB"));

    for (var round = 1; round <= rounds; round++)
    {
        // A: raw RowBinary insert: the same rows' bytes POSTed as they are, one INSERT per batch (no check, no serialising).
        var (rawDb, rawProvider) = await FreshClickHouseAsync("otq_bench_raw");
        using (rawProvider)
        {
            using var memory = new Memory(serverPid);
            var uri = "?query=" + Uri.EscapeDataString(string.Format(CultureInfo.InvariantCulture, insertSql, rawDb));
            watch.Restart();
            foreach (var body in bodies)
            {
                using var response = await http.PostAsync(uri, new ByteArrayContent(body));
                response.EnsureSuccessStatusCode();
            }
            Report($"round {round} A raw RowBinary POST (prebuilt bytes, no check)", watch.Elapsed, all.Count, await CountAsync(rawDb), memory.Report());
        }
        await DropAsync(rawDb);

        // B: the store's write as configured by default (existence check only for its first events, then the recent-id filter).
        // C: the store's write checking every batch against the server (ExistenceCheckEvents unbounded, no filter): main's behaviour.
        foreach (var (label, checkAlways) in new[] { ("B ClickHouseEventStore.WriteEventsAsync (defaults)", false), ("C the same, existence check on every batch", true) })
        {
            var (storeDb, storeProvider) = await FreshClickHouseAsync("otq_bench_store", checkAlways
                ? o => { o.ExistenceCheckEvents = long.MaxValue; o.RecentIdCapacity = 0; }
                : null);
            using (storeProvider)
            {
                var store = storeProvider.GetRequiredService<IEventStore>();
                using (var memory = new Memory(serverPid))
                {
                    watch.Restart();
                    foreach (var batch in batches) { await store.WriteEventsAsync(batch, CancellationToken.None); }
                    Report($"round {round} {label}", watch.Elapsed, all.Count, await CountAsync(storeDb), memory.Report());
                }

                if (round == rounds && !checkAlways)
                {
                    // Every id stored already: the same store skips them by its filter (as far as it holds them) ...
                    watch.Restart();
                    var inserted = 0;
                    foreach (var batch in batches) { inserted += await store.WriteEventsAsync(batch, CancellationToken.None); }
                    Report($"round {round} B' same write again, same store ({inserted} inserted: ids older than the filter count as new)", watch.Elapsed, all.Count, await CountAsync(storeDb), "");
                }
            }

            if (round == rounds && !checkAlways)
            {
                // ... and a new store (a restarted process: cold) asks the server, batch by batch, while it finds stored ids.
                using var cold = Services(s => s.AddClickHouseStore(new ClickHouseStoreOptions { ConnectionString = host + ";Database=" + storeDb }));
                await cold.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
                var store = cold.GetRequiredService<IEventStore>();
                watch.Restart();
                var inserted = 0;
                foreach (var batch in batches) { inserted += await store.WriteEventsAsync(batch, CancellationToken.None); }
                Report($"round {round} B'' same write, new store (existence check only, {inserted} inserted)", watch.Elapsed, all.Count, await CountAsync(storeDb), "");
            }

            await DropAsync(storeDb);
        }
    }

    return 0;
}

async Task<int> WorkerAsync(string storeName, long conversions, long nonConverting, int loadBatch)
{
    var clickHouse = storeName.Equals("clickhouse", StringComparison.OrdinalIgnoreCase);
    var dir = Path.Combine(Path.GetTempPath(), "otq-storebench-" + Guid.NewGuid().ToString("N"));
    var db = Environment.GetEnvironmentVariable("OTQ_BENCH_DATABASE") ?? "otq_bench_worker";
    var workspace = Environment.GetEnvironmentVariable("OTQ_BENCH_WORKSPACE") ?? "bench";
    // OTQ_BENCH_KEEP=1 (ClickHouse): the database is kept at the end and its loaded events reused, so a "before" and an
    // "after" build run their recomputes and ticks over one load (each in a workspace of its own, copied in SQL).
    var keep = clickHouse && Environment.GetEnvironmentVariable("OTQ_BENCH_KEEP") == "1";
    var phases = (Environment.GetEnvironmentVariable("OTQ_BENCH_PHASES") ?? "load,baseline,full,idle,ticks").Split(',');
    ServiceProvider provider;
    if (clickHouse)
    {
        if (!keep) { await DropAsync(db); }
        // A full recompute's journey stream at 1M can take longer than the collector's 60 s request timeout to start on a loaded machine.
        provider = Services(s => s.AddClickHouseStore(new ClickHouseStoreOptions { ConnectionString = host + ";Database=" + db, RequestTimeout = TimeSpan.FromMinutes(30) }));
    }
    else
    {
        Directory.CreateDirectory(dir);
        var memoryLimit = Environment.GetEnvironmentVariable("OTQ_BENCH_DUCKDB_MEMORY") ?? "4GB";
        provider = Services(s => s.AddDuckDbStore(new DuckDbStoreOptions { Path = Path.Combine(dir, "bench.duckdb"), MemoryLimit = memoryLimit, Threads = 1 }));
        Console.WriteLine($"DuckDB memory_limit {memoryLimit}, 1 thread");
    }

    try
    {
        using (provider)
        {
            var events = provider.GetRequiredService<IEventStore>();
            var attribution = provider.GetRequiredService<IAttributionStore>();
            await provider.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
            var settings = new AttributionSettings();
            var people = conversions + nonConverting;
            // People added by ticks get numbers above everyone stored (an earlier run over a kept database added some).
            var next = clickHouse ? Math.Max(people, await ScalarAsync($"SELECT ifNull(toInt64(uniqExact(anonymous_id)), 0) FROM {db}.events WHERE workspace = '{workspace}'")) : people;
            Console.WriteLine(Invariant($"load average {LoadAverage()}; workspace {workspace}; {next:N0} people stored"));

            var watch = Stopwatch.StartNew();
            if (phases.Contains("load") && next == people && (!clickHouse || await ScalarAsync($"SELECT count() FROM {db}.events WHERE workspace = '{workspace}'") == 0))
            {
                using var memory = new Memory(clickHouse ? serverPid : null);
                var written = await LoadAsync(events, workspace, 0, people, conversions, "x", loadBatch, progress: true);
                var how = clickHouse && Environment.GetEnvironmentVariable("OTQ_BENCH_LOAD") == "raw" ? "the store's insert without existence check (OTQ_BENCH_LOAD=raw)" : "IEventStore.WriteEventsAsync";
                Report($"load {people:N0} people via {how} (batches of {loadBatch:N0})", watch.Elapsed, written, -1, memory.Report());
            }

            if (clickHouse && phases.Contains("baseline"))
            {
                // The issue's baseline: the store's own grouping of every person's touches, in one statement.
                var cpu = ServerCpu();
                watch.Restart();
                var grouped = await ScalarAsync($"""
                    SELECT count() FROM (SELECT ifNull(anonymous_id, '') AS a, arraySort(x -> x.1, groupArray((ts, channel))) AS touches
                    FROM {db}.events WHERE workspace = '{workspace}' GROUP BY a)
                    """);
                Console.WriteLine(Invariant($"| baseline: ClickHouse groups every person's touches (one SELECT) | {watch.Elapsed.TotalSeconds:F2} s | {grouped:N0} people; server CPU {(ServerCpu() - cpu).TotalSeconds:F2} s | load {LoadAverage()} |"));
            }

            if (phases.Contains("full"))
            {
                using var memory = new Memory(clickHouse ? serverPid : null);
                var (cpu, serverCpu) = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu());
                watch.Restart();
                var full = await attribution.RecomputeAsync(workspace, settings, null, CancellationToken.None);
                var t = watch.Elapsed;
                Console.WriteLine(Invariant($"| full RecomputeAsync (9 models) | {t.TotalSeconds:F2} s | {full.Conversions:N0} conversions, {full.People:N0} people, {full.Conversions / t.TotalSeconds:N0} conversions/s; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s, server CPU {(ServerCpu() - serverCpu).TotalSeconds:F2} s | {memory.Report()} | load {LoadAverage()} |"));
            }

            if (phases.Contains("idle"))
            {
                using var memory = new Memory(clickHouse ? serverPid : null);
                watch.Restart();
                var idle = await attribution.RunAsync(workspace, settings, CancellationToken.None);
                Console.WriteLine(Invariant($"| idle RunAsync | {watch.Elapsed.TotalSeconds:F2} s | {idle.Conversions:N0} conversions, {idle.People:N0} people | {memory.Report()} |"));
            }

            if (phases.Contains("ticks"))
            {
                // The issue's tick: 1,000 new converting people, twice (one figure's noise shows), each step timed. ClickHouse
                // with LoadMarkMargin 0: with the default 5 minutes every tick would also redo whoever was loaded in that window.
                if (clickHouse) { provider.GetRequiredService<ClickHouseStoreOptions>().LoadMarkMargin = TimeSpan.Zero; }
                var timed = new TimedRunStore((IAttributionRunStore)attribution, clickHouse ? ServerCpu : null);
                var orchestrator = new AttributionOrchestrator(timed);
                // OTQ_BENCH_TICKS (default 2): more ticks show a warm process's cost. The first ticks of a fresh process are
                // mostly the JIT's (tiered compilation's background thread: bench/RESULTS.md, issue 21 on ClickHouse, session 14).
                var ticks = int.TryParse(Environment.GetEnvironmentVariable("OTQ_BENCH_TICKS"), out var given) ? given : 2;
                for (var tick = 0; tick < ticks; tick++)
                {
                    await LoadAsync(events, workspace, next, 1000, next + 1000, $"t{next}-", loadBatch, progress: false);
                    next += 1000;
                    using var memory = new Memory(clickHouse ? serverPid : null);
                    var (cpu, serverCpu) = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu());
                    watch.Restart();
                    var run = await orchestrator.RunAsync(workspace, settings, CancellationToken.None);
                    var t = watch.Elapsed;
                    Console.WriteLine(Invariant($"| tick after 1,000 new converting people | {t.TotalSeconds:F2} s | {run.Conversions:N0} conversions, {run.People:N0} people; CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s, server CPU {(ServerCpu() - serverCpu).TotalSeconds:F2} s | {memory.Report()} | load {LoadAverage()} |"));
                    foreach (var line in timed.Report()) { Console.WriteLine(line); }
                }
            }

            if (phases.Contains("percent"))
            {
                var step = Math.Max(1, people / 100);
                async Task Incremental(string label)
                {
                    var added = await LoadAsync(events, workspace, next, step, next + step, $"y{next}-", loadBatch, progress: false);
                    next += step;
                    using var memory = new Memory(clickHouse ? serverPid : null);
                    watch.Restart();
                    var run = await attribution.RunAsync(workspace, settings, CancellationToken.None);
                    var t = watch.Elapsed;
                    Console.WriteLine(Invariant($"| incremental RunAsync after +{step:N0} converting people ({added:N0} events, {label}) | {t.TotalSeconds:F2} s | {run.Conversions:N0} conversions, {run.People:N0} people, {run.Conversions / t.TotalSeconds:N0} conversions/s | {memory.Report()} |"));
                }

                await Incremental(clickHouse ? "LoadMarkMargin 5 min (default)" : "load_seq mark");
                if (clickHouse)
                {
                    provider.GetRequiredService<ClickHouseStoreOptions>().LoadMarkMargin = TimeSpan.Zero;
                    await Incremental("LoadMarkMargin 0");
                }
            }

            if (phases.Contains("questions"))
            {
                await AnalystQuestions.AskAsync(provider.GetRequiredService<IAttributionQueries>(), workspace, settings, clickHouse ? ServerCpu : null);
            }

            Console.WriteLine(Invariant($"whole process VmHWM since the last reset {Memory.SelfKb("VmHWM") / 1024} MB; PeakWorkingSet64 {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB; load {LoadAverage()}"));
        }
    }
    finally
    {
        if (clickHouse && !keep) { await DropAsync(db); }
        try { Directory.Delete(dir, recursive: true); } catch (DirectoryNotFoundException) { } catch (IOException) { }
    }

    return 0;
}

static async Task<long> LoadAsync(IEventStore events, string workspace, long first, long people, long convertingBelow, string tag, int batchSize, bool progress)
{
    // OTQ_BENCH_LOAD=raw: ClickHouse only, the store's insert without its existence check (the check dominates the load; see RESULTS.md).
    var raw = events is ClickHouseEventStore && Environment.GetEnvironmentVariable("OTQ_BENCH_LOAD") == "raw";
    long total = 0;
    var watch = Stopwatch.StartNew();
    var lastReport = TimeSpan.Zero;
    foreach (var batch in SyntheticShop.Batches(workspace, first, people, convertingBelow, tag, batchSize))
    {
        if (raw) { await Internals.InsertWithoutCheckAsync((ClickHouseEventStore)events, batch, CancellationToken.None); }
        else { await events.WriteEventsAsync(batch, CancellationToken.None); }
        total += batch.Count;
        if (progress && watch.Elapsed - lastReport > TimeSpan.FromSeconds(20))
        {
            lastReport = watch.Elapsed;
            Console.WriteLine(Invariant($"  loaded {total:N0} events in {watch.Elapsed.TotalSeconds:F0} s ({total / watch.Elapsed.TotalSeconds:N0} events/s)"));
        }
    }
    return total;
}

ServiceProvider Services(Action<IServiceCollection> store)
{
    var services = new ServiceCollection();
    services.AddSingleton(TimeProvider.System);
    store(services);
    return services.BuildServiceProvider();
}

async Task<(string Db, ServiceProvider Provider)> FreshClickHouseAsync(string db, Action<ClickHouseStoreOptions>? configure = null)
{
    await DropAsync(db);
    var options = new ClickHouseStoreOptions { ConnectionString = host + ";Database=" + db };
    configure?.Invoke(options);
    var provider = Services(s => s.AddClickHouseStore(options));
    await provider.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
    return (db, provider);
}

async Task DropAsync(string db) => (await http.PostAsync("", new StringContent($"DROP DATABASE IF EXISTS {db}"))).EnsureSuccessStatusCode();

async Task<long> ScalarAsync(string sql)
{
    using var response = await http.PostAsync("", new StringContent(sql));
    response.EnsureSuccessStatusCode();
    return long.Parse((await response.Content.ReadAsStringAsync()).Trim(), CultureInfo.InvariantCulture);
}

// The server's user + system CPU time so far (/proc/<pid>/stat fields 14 and 15, in clock ticks of 10 ms).
TimeSpan ServerCpu()
{
    if (serverPid is not { } pid) { return TimeSpan.Zero; }
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return TimeSpan.FromMilliseconds(10 * (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
}

static string LoadAverage() => File.ReadAllText("/proc/loadavg")[..14].Trim();

async Task<long> CountAsync(string db)
{
    using var response = await http.PostAsync("", new StringContent($"SELECT count() FROM {db}.events"));
    response.EnsureSuccessStatusCode();
    return long.Parse((await response.Content.ReadAsStringAsync()).Trim(), CultureInfo.InvariantCulture);
}

static void Report(string what, TimeSpan elapsed, long rows, long counted, string memory) =>
    Console.WriteLine(Invariant($"| {what} | {elapsed.TotalSeconds:F2} s | {rows:N0} rows{(counted >= 0 ? $" (count() {counted:N0})" : "")}, {rows / elapsed.TotalSeconds:N0} rows/s | {memory} |"));

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

long Arg(int index, long fallback) => args.Length > index ? long.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static int? ServerPid()
{
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        try
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "clickhouse-serv") { return pid; }
        }
        catch (IOException) { }
    }
    return null;
}

static int Usage()
{
    Console.Error.WriteLine("usage: OmniTrackIQ.StoreBench insert <spool dir> [rounds] [batch] | worker <duckdb|clickhouse> [conversions] [non-converting] [load batch]");
    return 2;
}
