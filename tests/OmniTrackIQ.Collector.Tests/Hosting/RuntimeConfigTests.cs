using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Hosting;

/// <summary>
/// The runtime settings the collector ships in its runtimeconfig.json (what `dotnet OmniTrackIQ.Collector.dll` runs
/// with, and the processes the tests start). The build copies the collector's file next to the tests; the runtime reads
/// these keys only from there or from DOTNET_ variables, never from appsettings.
/// </summary>
public sealed class RuntimeConfigTests
{
    /// <summary>The GC settings bound the collector's memory (bench/RESULTS.md "Session 9: collector memory").</summary>
    [Fact]
    public void The_collector_runs_workstation_gc_with_a_small_gen0_budget_and_conserves_memory()
    {
        var properties = ConfigProperties();

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(32L * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }

    /// <summary>
    /// Idle thread-pool workers sleep instead of spinning for work: the spin was the largest frame of the pixel's
    /// profile (bench/RESULTS.md "Session 9: the pixel path").
    /// </summary>
    [Fact]
    public void The_collectors_runtimeconfig_turns_the_thread_pool_spin_off()
    {
        Assert.Equal(0, ConfigProperties().GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    /// <summary>
    /// No instrumented (profile-guided) tier: on 2 shared cores it was still compiling a minute into a batch load, and
    /// the load's first 30 s cost 1.3-1.8 times the CPU per event (bench/RESULTS.md "Session 13: the collector's CPU per event").
    /// </summary>
    [Fact]
    public void The_collectors_runtimeconfig_turns_the_profile_guided_tier_off()
    {
        Assert.False(ConfigProperties().GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.runtimeconfig.json");
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        return file.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
