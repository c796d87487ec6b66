using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Hosting;

/// <summary>
/// Issue 16: the collector ships with idle thread-pool workers that sleep instead of spinning for work (the spin was the
/// largest frame of the pixel's profile, bench/RESULTS.md "Session 9: the pixel path"). The setting lives in the
/// collector's runtimeconfig, which the processes the tests start run with.
/// </summary>
public sealed class ThreadPoolSpinSettingTests
{
    [Fact]
    public void The_collectors_runtimeconfig_turns_the_thread_pool_spin_off()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
