using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.StoreBench;

/// <summary>
/// Issue 16: where the DuckDB sink's write of a batch goes (appender into staging, the move into <c>events</c>, the
/// staging clear, the commit), for the store's own statement and variants of the move, each on a fresh database
/// file with the collector's settings (256MB, 1 thread). Prints the mean per batch for each tenth of the batches, so
/// growth with the table's size shows, then the peak RSS, the managed heap and DuckDB's buffer memory (duckdb_memory()).
/// OTQ_BENCH_VARIANTS picks variants; OTQ_BENCH_CHECKPOINT, OTQ_BENCH_MEMORY set checkpoint_threshold and memory_limit;
/// OTQ_BENCH_DUCKDB_SQL runs a statement first (another setting to try); OTQ_BENCH_RECENT_IDS sets the store's RecentIdCapacity;
/// OTQ_BENCH_ALLOCATOR_DECAY sets the store's AllocatorDecayMs.
/// OTQ_BENCH_STREAM=1 makes each batch as it is written instead of all of them first, so the peak RSS is the store's (as in
/// the collector's sink, which holds a few batches) and not the million events held in memory; the time then includes making them.
/// </summary>
internal static class DuckDbWrite
{
    public static async Task<int> RunAsync(int batches, int batchSize)
    {
        IEnumerable<List<TrackedEvent>> Make() => SyntheticShop.Batches("bench", 0, long.MaxValue / 4, 0, "w", batchSize).Take(batches);
        var stream = Environment.GetEnvironmentVariable("OTQ_BENCH_STREAM") == "1";
        var made = stream ? null : Make().ToList();
        string[] variants = ["store", "append", "append-no-key", "reserve-load-seq", "or-ignore+nextval", "or-ignore,no-nextval", "anti-join+nextval", "or-ignore+nextval,no-autocheckpoint"];
        var only = Environment.GetEnvironmentVariable("OTQ_BENCH_VARIANTS");
        foreach (var variant in variants)
        {
            if (only is not null && !only.Split(',').Contains(variant)) { continue; }
            // Streamed: each variant reads the batches (made again, the same ones) in order, one at a time.
            await RunVariantAsync(variant, made ?? Make(), made?.Count ?? batches);
        }

        return 0;
    }

    private static async Task RunVariantAsync(string variant, IEnumerable<List<TrackedEvent>> source, int batchCount)
    {
        var dir = Directory.CreateTempSubdirectory("otq-duckwrite-");
        try
        {
            // OTQ_BENCH_ALLOCATOR_DECAY: OmniTrack:DuckDb:AllocatorDecayMs to try (ms; DuckDB's own is 1000).
            long? decay = Environment.GetEnvironmentVariable("OTQ_BENCH_ALLOCATOR_DECAY") is { } ms ? long.Parse(ms, CultureInfo.InvariantCulture) : null;
            using var database = new DuckDbDatabase(Path.Combine(dir.FullName, "bench.duckdb"), allocatorDecayMs: decay);
            var recentIds = Environment.GetEnvironmentVariable("OTQ_BENCH_RECENT_IDS") is { } capacity ? int.Parse(capacity, CultureInfo.InvariantCulture) : DuckDbStoreOptions.DefaultRecentIdCapacity;
            var store = new DuckDbEventStore(database, recentIds);
            var threshold = variant.EndsWith("no-autocheckpoint", StringComparison.Ordinal) ? "1GB" : Environment.GetEnvironmentVariable("OTQ_BENCH_CHECKPOINT");
            if (threshold is not null)
            {
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, $"SET checkpoint_threshold = '{threshold}'"), CancellationToken.None);
            }

            if (Environment.GetEnvironmentVariable("OTQ_BENCH_DUCKDB_SQL") is { } settings)
            {
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, settings), CancellationToken.None);
            }

            if (Environment.GetEnvironmentVariable("OTQ_BENCH_MEMORY") is { } memoryLimit)
            {
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, $"SET memory_limit = '{memoryLimit}'"), CancellationToken.None);
            }

            if (variant == "append-no-key")
            {
                // events' columns without the primary key: what the key (its ART index, the check) costs the append.
                await database.WriteAsync(c => DuckDbEventStore.Execute(c, $"CREATE TABLE events_no_key ({EventsSchema.Columns}, load_seq BIGINT)"), CancellationToken.None);
            }

            using var memory = new Memory(null);
            var phases = new double[4]; // append, move, clear, commit (ms)
            long duckPeak = 0; // DuckDB's buffer memory after each batch, at most
            var segment = Math.Max(1, batchCount / 10);
            var rows = 0L;
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var total = Stopwatch.StartNew();
            var segmentWatch = Stopwatch.StartNew();
            var i = -1;
            foreach (var batch in source)
            {
                i++;
                rows += batch.Count;
                if (variant == "store")
                {
                    await store.WriteEventsAsync(batch, CancellationToken.None);
                }
                else if (variant == "reserve-load-seq")
                {
                    // The store's draw of a batch's load_seq values alone (SELECT max(nextval(...)) FROM range(n)).
                    await database.WriteAsync(c => DuckDbEventStore.Execute(c, $"SELECT max(nextval('events_load_seq')) FROM range({batch.Count})"), CancellationToken.None);
                }
                else if (variant.StartsWith("append", StringComparison.Ordinal))
                {
                    var table = variant == "append" ? "events" : "events_no_key";
                    await database.WriteAsync(c => AppendTimed(c, table, batch, phases), CancellationToken.None);
                }
                else
                {
                    await database.WriteAsync(c => WriteTimed(c, variant, batch, phases), CancellationToken.None);
                }

                duckPeak = Math.Max(duckPeak, await database.WriteAsync(DuckDbBytes, CancellationToken.None));
                if ((i + 1) % segment == 0)
                {
                    Console.WriteLine(Inv($"  {variant}: batches {i + 2 - segment}-{i + 1}: {segmentWatch.Elapsed.TotalMilliseconds / segment:F0} ms a batch"));
                    segmentWatch.Restart();
                }
            }

            // CPU time of the whole process (DuckDB's threads included) per batch: on shared cores it moves far less than the wall time.
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds / batchCount;
            Console.WriteLine(Inv($"{variant}: {cpuMs:F0} ms of CPU a batch ({rows * 1000.0 / cpuMs / batchCount:N0} rows per CPU second)"));
            Console.WriteLine(Inv($"{variant}: {rows:N0} rows in {total.Elapsed.TotalSeconds:F2} s = {rows / total.Elapsed.TotalSeconds:N0} rows/s; per batch append {phases[0] / batchCount:F0} ms, move (append variants: appender close) {phases[1] / batchCount:F0} ms, clear {phases[2] / batchCount:F0} ms, commit {phases[3] / batchCount:F0} ms"));
            var duckMemory = await database.WriteAsync(DuckDbMemory, CancellationToken.None);
            Console.WriteLine(Inv($"  {variant}: {memory.Report()}, VmRSS {Memory.SelfKb("VmRSS") / 1024} MB, managed heap {GC.GetTotalMemory(false) / 1048576} MB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576} MB; DuckDB buffers at most {duckPeak / 1048576} MB (after a batch), now {duckMemory}"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The store's append path split in its steps: load_seq reserved with the appender's rows (phase 0), the appender closed (1), the commit (3).</summary>
    private static int AppendTimed(DuckDBConnection connection, string table, List<TrackedEvent> events, double[] phases)
    {
        var watch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        long loadSeq = 0;
        var appender = connection.CreateAppender(table);
        foreach (var e in events) { EventRow.Values(appender, e).AppendValue(loadSeq++).EndRow(); }
        phases[0] += Lap(watch);
        appender.Dispose(); // flushes what the appender still holds into the table's local storage (and the key's check)
        phases[1] += Lap(watch);
        transaction.Commit();
        phases[3] += Lap(watch);
        return events.Count;
    }

    private static int WriteTimed(DuckDBConnection connection, string variant, List<TrackedEvent> events, double[] phases)
    {
        var watch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using (var appender = connection.CreateAppender("events_staging"))
        {
            foreach (var e in events) { EventRow.Values(appender, e).EndRow(); }
        }

        phases[0] += Lap(watch);
        var columns = EventsSchema.ColumnNames;
        var move = variant switch
        {
            "or-ignore,no-nextval" => $"INSERT OR IGNORE INTO events ({columns}, load_seq) SELECT {columns}, 0 FROM events_staging",
            "anti-join+nextval" => $"INSERT INTO events ({columns}, load_seq) SELECT {columns}, nextval('events_load_seq') FROM events_staging s " +
                "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.workspace = s.workspace AND e.message_id = s.message_id)",
            _ => EventsSchema.MoveStaged,
        };
        var inserted = DuckDbEventStore.Execute(connection, move);
        phases[1] += Lap(watch);
        DuckDbEventStore.Execute(connection, "DELETE FROM events_staging");
        phases[2] += Lap(watch);
        transaction.Commit();
        phases[3] += Lap(watch);
        return inserted;
    }

    /// <summary>duckdb_memory(): what DuckDB's buffer manager holds, by tag (the ART index is its own tag).</summary>
    private static string DuckDbMemory(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT string_agg(tag || ' ' || (memory_usage_bytes // 1048576) || ' MB', ', ') FROM duckdb_memory() WHERE memory_usage_bytes >= 1048576";
        return command.ExecuteScalar() as string ?? "none over 1 MB";
    }

    private static long DuckDbBytes(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sum(memory_usage_bytes)::BIGINT FROM duckdb_memory()";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static double Lap(Stopwatch watch)
    {
        var ms = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        return ms;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
