using System.Net;
using System.Net.Sockets;

namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// A clickhouse-server of the test's own (tests/clickhouse/start.sh on free ports, data in a temp dir), so the test
/// can really stop it and start it again on the same data while a collector writes to it.
/// </summary>
internal sealed class PrivateClickHouse : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-clickhouse." + Guid.NewGuid().ToString("N"));
    private readonly string _state = Path.Combine(Path.GetTempPath(), "otq-ch-" + Guid.NewGuid().ToString("N") + ".state");
    private readonly int _tcpPort = FreePort();
    private readonly int _interserverPort = FreePort();

    public int HttpPort { get; } = FreePort();

    /// <summary>Starts the server (first time: a fresh config and data dir; later: the same ones). Skips, or fails with CI=true, when it cannot.</summary>
    public async Task StartAsync()
    {
        var (code, output) = await RunAsync("start.sh", keepDir: false);
        if (code == 0) { return; }
        var why = $"tests/clickhouse/start.sh exited {code}: {output.Trim()}";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + why); }
        Skip.If(true, why);
    }

    /// <summary>Stops the server (TERM) and keeps its data for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        var (code, output) = await RunAsync("stop.sh", keepDir: true);
        Assert.True(code == 0, output);
    }

    private Task<(int Code, string Output)> RunAsync(string script, bool keepDir)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTQ_CLICKHOUSE_HTTP_PORT"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTQ_CLICKHOUSE_TCP_PORT"] = _tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTQ_CLICKHOUSE_INTERSERVER_PORT"] = _interserverPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OTQ_CLICKHOUSE_STATE"] = _state,
            ["OTQ_CLICKHOUSE_DIR"] = _dir,
        };
        if (keepDir) { environment["OTQ_CLICKHOUSE_KEEP_DIR"] = "1"; }
        return RepositoryScript.RunAsync(Path.Combine("tests", "clickhouse", script), environment);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // Stop for good and remove the data (best effort: the test's own failure matters more).
        try { await RunAsync("stop.sh", keepDir: false); }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        try { Directory.Delete(_dir, recursive: true); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
