using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Hosting;

/// <summary>
/// The GC settings the collector ships in its runtimeconfig.json (what `dotnet OmniTrackIQ.Collector.dll` runs with),
/// which bound its memory (bench/RESULTS.md "Session 9: collector memory"). The build copies the collector's file next
/// to the tests; the runtime reads these keys only from there or from DOTNET_ variables, never from appsettings.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void The_collector_runs_workstation_gc_with_a_small_gen0_budget_and_conserves_memory()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.runtimeconfig.json");
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var properties = file.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(32L * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }
}
