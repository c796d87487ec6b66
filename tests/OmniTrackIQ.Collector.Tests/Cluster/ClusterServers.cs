using System.Globalization;

namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// A ClickHouse cluster tests/cluster/start.sh started (2 shards x 2 replicas, cluster <c>otq</c>, ZooKeeper): either the
/// suite's (<see cref="RequireAsync"/>: nodes from <c>OTQ_CLICKHOUSE_CLUSTER_URLS</c>) or one of the test's own
/// (<see cref="StartOwnAsync"/>), a database of the test's own, and ZooKeeper stopped and started again through
/// tests/cluster/zookeeper.sh.
/// </summary>
internal sealed class ClusterServers : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    /// <summary>tests/cluster/start.sh's state dir (each node's state file, ZooKeeper's).</summary>
    private readonly string _stateDir;
    /// <summary>True for a cluster <see cref="StartOwnAsync"/> started: disposing stops it and removes its data.</summary>
    private readonly bool _owned;

    private ClusterServers(Uri[] nodes, string stateDir, bool owned) => (Nodes, _stateDir, _owned) = (nodes, stateDir, owned);

    public Uri[] Nodes { get; }

    public string Database { get; } = "otq_chaos_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The store's connection string to node <paramref name="node"/>, on the test's database.</summary>
    public string ConnectionString(int node) => $"Host={Nodes[node].Host};Port={Nodes[node].Port};Database={Database}";

    public static async Task<ClusterServers> RequireAsync()
    {
        var urls = Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_CLUSTER_URLS") is { Length: > 0 } list
            ? list
            : "http://127.0.0.1:18120,http://127.0.0.1:18130,http://127.0.0.1:18140,http://127.0.0.1:18150";
        await RepositoryScript.ReviveClusterAsync();
        var stateDir = Environment.GetEnvironmentVariable("OTQ_CLUSTER_STATE_DIR") is { Length: > 0 } dir ? dir : "/tmp/otq-cluster";
        var servers = new ClusterServers([.. urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))], stateDir, owned: false);
        try
        {
            Assert.Equal("1", (await servers.QueryAsync("SELECT count() FROM system.clusters WHERE cluster = 'otq' AND shard_num = 1 AND replica_num = 1")).Trim());
        }
        catch (HttpRequestException ex)
        {
            Unavailable($"no ClickHouse cluster at {servers.Nodes[0]} ({ex.Message}); start one with tests/cluster/start.sh");
        }

        return servers;
    }

    /// <summary>
    /// Starts a cluster of the test's own with tests/cluster/start.sh (ZooKeeper and four nodes on free ports of their own,
    /// state and data in temp dirs; a few seconds), stopped and removed when disposed. For a test that may leave a cluster
    /// unfit for the tests after it: on 18.16 a replica restarted under load once left the distributed-DDL queue stuck
    /// ("Node exists … /executed"), and every later <c>ON CLUSTER</c> statement on the suite's cluster timed out.
    /// </summary>
    public static async Task<ClusterServers> StartOwnAsync()
    {
        var stateDir = Path.Combine(Path.GetTempPath(), "otq-own-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        var basePort = FreePortBlock();
        var (code, output) = await RepositoryScript.RunAsync(Path.Combine("tests", "cluster", "start.sh"), new Dictionary<string, string>
        {
            ["OTQ_CLUSTER_STATE_DIR"] = stateDir,
            ["OTQ_CLUSTER_BASE_PORT"] = basePort.ToString(CultureInfo.InvariantCulture),
            ["OTQ_ZOOKEEPER_PORT"] = (basePort + ZooKeeperOffset).ToString(CultureInfo.InvariantCulture),
        });
        if (code != 0) { Unavailable($"tests/cluster/start.sh could not start a cluster of the test's own (exit {code}): {output}"); }

        // One line "<shard> <replica> <http url> <state file>" per node, in node order.
        Uri[] nodes = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length == 4 && fields[2].StartsWith("http://", StringComparison.Ordinal))
            .Select(fields => new Uri(fields[2]))];
        Assert.True(nodes.Length == 4, $"tests/cluster/start.sh named {nodes.Length} nodes, not 4: {output}");
        return new ClusterServers(nodes, stateDir, owned: true);
    }

    /// <summary>ZooKeeper's port above the nodes' (tests/cluster/start.sh gives node i base+10i, +1, +2; i = 0..3).</summary>
    private const int ZooKeeperOffset = 40;

    /// <summary>
    /// A base port whose cluster ports are all free now, below the kernel's ephemeral range (32768 up), so the outgoing
    /// connections of the test and its servers do not take them meanwhile; the suite's servers (8123, 9000, 12181, 16379,
    /// 18120–18152) fall outside every block tried.
    /// </summary>
    private static int FreePortBlock()
    {
        int[] offsets = [.. Enumerable.Range(0, 4).SelectMany(i => new[] { 10 * i, 10 * i + 1, 10 * i + 2 }), ZooKeeperOffset];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var basePort = 20_000 + 100 * Random.Shared.Next(0, 120); // 20000–31900
            if (offsets.All(offset => IsFree(basePort + offset))) { return basePort; }
        }

        throw new InvalidOperationException("no block of free ports between 20000 and 32000 for a cluster of the test's own");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Skips the test, or fails it with <c>CI=true</c>: CI must really run it.</summary>
    public static void Unavailable(string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + why); }
        Skip.If(true, why);
    }

    public async Task<string> QueryAsync(string sql)
    {
        using var response = await _http.PostAsync(Nodes[0], new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    /// <summary>Waits (bounded: 2 min) until the collectors' schema steps have made the last table on every node.</summary>
    public async Task WaitForSchemaAsync()
    {
        var sql = $"SELECT count() FROM system.tables WHERE database = '{Database}' AND name = 'attribution_state_local'";
        var made = await Poll.UntilAsync(async () =>
        {
            var nodes = 0;
            foreach (var node in Nodes)
            {
                using var response = await _http.PostAsync(node, new StringContent(sql));
                if ((await response.Content.ReadAsStringAsync()).Trim() == "1") { nodes++; }
            }

            return nodes == Nodes.Length;
        }, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));
        Assert.True(made, $"the schema of {Database} was not made on every node within 2 minutes");
    }

    /// <summary>
    /// Stops ClickHouse node <paramref name="node"/> (tests/cluster/start.sh's order: shard 1 replica 1, shard 1 replica
    /// 2, shard 2 replica 1, shard 2 replica 2) and keeps its data, as a machine that goes away and comes back.
    /// </summary>
    public async Task StopNodeAsync(int node)
    {
        var state = NodeState(node);
        var lines = await File.ReadAllLinesAsync(state);
        _stoppedDirs[node] = lines.Single(l => l.StartsWith("dir=", StringComparison.Ordinal))[4..];
        await RepositoryScript.RunOrFailAsync(Path.Combine("tests", "clickhouse", "stop.sh"),
            new Dictionary<string, string> { ["OTQ_CLICKHOUSE_STATE"] = state, ["OTQ_CLICKHOUSE_KEEP_DIR"] = "1" });
    }

    /// <summary>Starts a node <see cref="StopNodeAsync"/> stopped again, on its data, ports and cluster config.</summary>
    public async Task StartNodeAsync(int node)
    {
        var port = Nodes[node].Port; // tests/cluster/start.sh's scheme: http, then tcp + 1, interserver + 2
        await RepositoryScript.RunOrFailAsync(Path.Combine("tests", "clickhouse", "start.sh"), new Dictionary<string, string>
        {
            ["OTQ_CLICKHOUSE_STATE"] = NodeState(node),
            ["OTQ_CLICKHOUSE_DIR"] = _stoppedDirs[node],
            ["OTQ_CLICKHOUSE_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["OTQ_CLICKHOUSE_TCP_PORT"] = (port + 1).ToString(CultureInfo.InvariantCulture),
            ["OTQ_CLICKHOUSE_INTERSERVER_PORT"] = (port + 2).ToString(CultureInfo.InvariantCulture),
        });
        _stoppedDirs.Remove(node);
    }

    /// <summary>Runs SQL on node <paramref name="node"/> itself, e.g. to count what its local table holds.</summary>
    public async Task<string> QueryNodeAsync(int node, string sql)
    {
        using var response = await _http.PostAsync(Nodes[node], new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    private readonly Dictionary<int, string> _stoppedDirs = [];

    private string NodeState(int node) => Path.Combine(_stateDir, $"node{node}.state");

    /// <summary>Stops ZooKeeper and keeps its data; replicated inserts fail until <see cref="StartZooKeeperAsync"/>.</summary>
    public Task StopZooKeeperAsync() => RunAsync("stop", keepDir: true);

    public Task StartZooKeeperAsync() => RunAsync("start", keepDir: false);

    private Task RunAsync(string verb, bool keepDir)
    {
        var environment = new Dictionary<string, string> { ["OTQ_CLUSTER_STATE_DIR"] = _stateDir };
        if (keepDir) { environment["OTQ_ZOOKEEPER_KEEP_DIR"] = "1"; }
        return RepositoryScript.RunOrFailAsync(Path.Combine("tests", "cluster", "zookeeper.sh"), environment, verb);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned)
        {
            // Nothing else uses it: all of it goes, whatever state a failed test left it in (a node down, a stuck DDL queue).
            await RepositoryScript.RunAsync(Path.Combine("tests", "cluster", "stop.sh"), new Dictionary<string, string> { ["OTQ_CLUSTER_STATE_DIR"] = _stateDir });
            _http.Dispose();
            return;
        }

        // A test that failed with a node down leaves it as tests/cluster/start.sh made it: up, for the next test.
        foreach (var node in _stoppedDirs.Keys.ToList())
        {
            try { await StartNodeAsync(node); }
            catch (Xunit.Sdk.XunitException) { }
        }

        try { await QueryAsync($"DROP DATABASE IF EXISTS {Database} ON CLUSTER otq"); }
        catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException) { } // the test's own failure matters more
        _http.Dispose();
    }
}
