using System.Reflection;
using OmniTrackIQ.MemoryProbe;

/// <summary>
/// Loaded into a collector by <c>DOTNET_STARTUP_HOOKS=…/OmniTrackIQ.MemoryProbe.dll</c> with
/// <c>OTQ_MEMORY_PROBE=&lt;file&gt;</c>: samples its memory (<see cref="MemorySampler"/>) for as long as it runs. DuckDB's
/// buffer manager is asked through a connection of its own to the store's file once that file exists (the same database
/// instance, as the store's readers are), from the <c>--OmniTrack:DataDirectory=</c> argument; <c>OTQ_MEMORY_PROBE_SQL</c>
/// is run once on that connection (a DuckDB setting to try on the same binaries).
/// </summary>
#pragma warning disable CA1050 // the runtime looks for a type named StartupHook outside any namespace
internal static class StartupHook
#pragma warning restore CA1050
{
    private static MemorySampler? s_sampler;

    public static void Initialize()
    {
        // OTQ_MEMORY_PROBE_DECAY="dirty,muzzy" (ms): DuckDB's jemalloc decay times to try (it ships 1000,1000),
        // in any process it reaches (StoreBench's sink alone too).
        if (Environment.GetEnvironmentVariable("OTQ_MEMORY_PROBE_DECAY") is { Length: > 0 } decay)
        {
            var parts = decay.Split(',');
            _ = NativeHeaps.SetJemallocDecay(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        var file = Environment.GetEnvironmentVariable("OTQ_MEMORY_PROBE");
        // The variable reaches every dotnet process a bench starts (LoadGen too): only the collector is sampled.
        if (string.IsNullOrEmpty(file) || Assembly.GetEntryAssembly()?.GetName().Name != "OmniTrackIQ.Collector") { return; }
        var dataArg = Environment.GetCommandLineArgs().FirstOrDefault(a => a.StartsWith("--OmniTrack:DataDirectory=", StringComparison.Ordinal));
        var duckFile = dataArg is null ? null : Path.Combine(dataArg[(dataArg.IndexOf('=', StringComparison.Ordinal) + 1)..], "omnitrack.duckdb");
        System.Data.Common.DbConnection? connection = null;
        var opened = 0L;
        s_sampler = new MemorySampler(file, () =>
        {
            if (duckFile is null || !File.Exists(duckFile)) { return null; }
            if (connection is null)
            {
                // Wait a few seconds after the file appears, so the store has opened it (and set its limit) first.
                if (opened == 0) { opened = Environment.TickCount64; return null; }
                if (Environment.TickCount64 - opened < 1000) { return null; }
                connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={duckFile}");
                connection.Open();
                // A setting to try on the same binaries (DuckDB's are global to the instance the store shares).
                if (Environment.GetEnvironmentVariable("OTQ_MEMORY_PROBE_SQL") is { Length: > 0 } sql)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }
            }

            return MemorySampler.DuckDbMemory(connection);
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => s_sampler.Dispose();
    }
}
