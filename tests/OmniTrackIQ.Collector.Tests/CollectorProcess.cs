using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>The real collector as a separate OS process (so it can be killed with SIGKILL), on a free loopback port.</summary>
internal sealed class CollectorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CollectorProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }
    public HttpClient Client { get; }
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <summary>The exit code once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <param name="extraArgs">More command-line settings (e.g. <c>--OmniTrack:Spool:Directory</c>), after the defaults so they win.</param>
    public static async Task<CollectorProcess> StartAsync(string dataDirectory, string writeKey, string readToken, int port = 0, IEnumerable<string>? extraArgs = null)
    {
        port = port == 0 ? FreePort() : port;
        var dll = Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
                 {
                     dll, "--urls", $"http://127.0.0.1:{port}", "--OmniTrack:DataDirectory", dataDirectory,
                     "--OmniTrack:Clock:StartAt", TestClock.StartAt,
                     "--OmniTrack:Sink:MaxBatchAge", "00:00:00.050", "--OmniTrack:Workspaces:0:Id", "crash",
                     "--OmniTrack:Workspaces:0:WriteKey", writeKey,
                     "--OmniTrack:Workspaces:0:EventsPerSecond", "0", // load tests measure the collector, not its limiter
                     "--OmniTrack:Workspaces:0:ReadTokenSha256:0", Workspaces.WorkspaceRegistry.Sha256Hex(readToken),
                 })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in extraArgs ?? []) { info.ArgumentList.Add(arg); }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the collector");
        var collector = new CollectorProcess(process, port);
        process.OutputDataReceived += (_, e) => { lock (collector._output) { collector._output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (collector._output) { collector._output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await collector.WaitHealthyAsync();
        return collector;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Crash()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the host drains and closes the store.</summary>
    public async Task StopAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(); }
        _process.Dispose();
        Client.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        var healthy = await Poll.UntilAsync(async () =>
        {
            if (_process.HasExited) { throw new InvalidOperationException("collector exited during start:\n" + Output); }
            try
            {
                using var response = await Client.GetAsync("/healthz");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        if (!healthy) { throw new TimeoutException("collector did not become healthy:\n" + Output); }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
