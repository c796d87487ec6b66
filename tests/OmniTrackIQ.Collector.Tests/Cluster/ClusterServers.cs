using System.Globalization;

namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// The ClickHouse cluster tests/cluster/start.sh started (2 shards x 2 replicas, cluster <c>otq</c>, ZooKeeper): its
/// nodes from <c>OTQ_CLICKHOUSE_CLUSTER_URLS</c>, a database of the test's own, and ZooKeeper stopped and started
/// again through tests/cluster/zookeeper.sh.
/// </summary>
internal sealed class ClusterServers : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private ClusterServers(Uri[] nodes) => Nodes = nodes;

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
        var servers = new ClusterServers([.. urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))]);
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

    private static string NodeState(int node) =>
        Path.Combine(Environment.GetEnvironmentVariable("OTQ_CLUSTER_STATE_DIR") is { Length: > 0 } dir ? dir : "/tmp/otq-cluster", $"node{node}.state");

    /// <summary>Stops ZooKeeper and keeps its data; replicated inserts fail until <see cref="StartZooKeeperAsync"/>.</summary>
    public Task StopZooKeeperAsync() => RunAsync("stop", keepDir: true);

    public Task StartZooKeeperAsync() => RunAsync("start", keepDir: false);

    private static Task RunAsync(string verb, bool keepDir) =>
        RepositoryScript.RunOrFailAsync(Path.Combine("tests", "cluster", "zookeeper.sh"),
            keepDir ? new Dictionary<string, string> { ["OTQ_ZOOKEEPER_KEEP_DIR"] = "1" } : null, verb);

    public async ValueTask DisposeAsync()
    {
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
