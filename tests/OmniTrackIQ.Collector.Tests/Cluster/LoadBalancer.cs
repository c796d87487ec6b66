using System.Diagnostics;

namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// haproxy with the repository's own deploy/haproxy/haproxy.cfg in front of two collectors, on a free loopback port;
/// skips, or fails with <c>CI=true</c>, when haproxy is not installed.
/// </summary>
internal sealed class LoadBalancer : IDisposable
{
    private readonly Process _process;
    private readonly string _stats;

    private LoadBalancer(Process process, int port, string stats)
    {
        _process = process;
        _stats = stats;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public static async Task<LoadBalancer> StartAsync(int ingest1, int ingest2)
    {
        if (!File.Exists("/usr/sbin/haproxy")) { ClusterServers.Unavailable("haproxy is not installed (apt-get install haproxy)"); }
        var port = CollectorProcess.FreePort();
        var stats = Path.Combine(Path.GetTempPath(), $"otq-haproxy-{Guid.NewGuid():N}.sock");
        var info = new ProcessStartInfo("/usr/sbin/haproxy") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-db", "-f", Path.Combine(RepositoryScript.Root(), "deploy", "haproxy", "haproxy.cfg") }) { info.ArgumentList.Add(arg); }
        info.Environment["OTQ_LB_BIND"] = $"127.0.0.1:{port}";
        info.Environment["OTQ_INGEST_1"] = $"127.0.0.1:{ingest1}";
        info.Environment["OTQ_INGEST_2"] = $"127.0.0.1:{ingest2}";
        info.Environment["OTQ_LB_STATS"] = stats;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start haproxy");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var balancer = new LoadBalancer(process, port, stats);
        await balancer.UntilUpServersAsync(2);
        return balancer;
    }

    /// <summary>Waits (bounded: 60 s) until haproxy holds exactly <paramref name="count"/> collectors up.</summary>
    public async Task UntilUpServersAsync(int count)
    {
        await Poll.UntilAsync(async () => await UpServersAsync() == count, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100));
        Assert.Equal(count, await UpServersAsync());
    }

    /// <summary>How many of the two collectors haproxy's health checks (GET /readyz/ingest) hold up, from its stats socket.</summary>
    public async Task<int> UpServersAsync()
    {
        if (_process.HasExited || !File.Exists(_stats)) { return 0; }
        try
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(_stats));
            await socket.SendAsync("show stat\n"u8.ToArray());
            using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync();
            return text.Split('\n').Count(line => line.StartsWith("collectors,ingest", StringComparison.Ordinal) && line.Split(',')[17] == "UP");
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) { _process.Kill(); }
        _process.Dispose();
        Client.Dispose();
        try { File.Delete(_stats); } catch (IOException) { }
    }
}
