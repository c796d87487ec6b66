using System.Globalization;
using OmniTrackIQ.Collector.Tests;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// A fresh database on the 2-shard, 2-replica cluster tests/cluster/start.sh starts (cluster <c>otq</c>): the store's
/// tables are made there by its own schema steps, run ON CLUSTER. <c>OTQ_CLICKHOUSE_CLUSTER_URLS</c> lists the nodes'
/// HTTP URLs, comma-separated (default: the script's default ports); the store connects to the first. Without the
/// cluster the tests skip, or fail with <c>CI=true</c>, like <see cref="ClickHouseServerFixture"/>.
/// </summary>
public sealed class ClickHouseClusterFixture : ClickHouseServerFixture
{
    private static readonly string[] s_nodes =
        (Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_CLUSTER_URLS") is { Length: > 0 } urls
            ? urls
            : "http://127.0.0.1:18120,http://127.0.0.1:18130,http://127.0.0.1:18140,http://127.0.0.1:18150")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public ClickHouseClusterFixture()
        : base(s_nodes[0], "otq", "tests/cluster/start.sh")
    {
    }

    protected override IReadOnlyList<Uri> Nodes => [.. s_nodes.Select(n => new Uri(n))];

    public override async Task InitializeAsync()
    {
        await RepositoryScript.ReviveClusterAsync();
        await base.InitializeAsync();
    }

    /// <summary>
    /// Stops node <paramref name="node"/> (its number in tests/cluster/start.sh's order: shard 1 replica 1, shard 1
    /// replica 2, shard 2 replica 1, shard 2 replica 2) and keeps its data, as a machine that goes away and comes back.
    /// </summary>
    public async Task StopNodeAsync(int node)
    {
        var state = NodeState(node);
        var lines = await File.ReadAllLinesAsync(state);
        _stopped[node] = (lines.Single(l => l.StartsWith("dir=", StringComparison.Ordinal))[4..], Nodes[node]);
        await RepositoryScript.RunOrFailAsync(Path.Combine("tests", "clickhouse", "stop.sh"), new Dictionary<string, string> { ["OTQ_CLICKHOUSE_STATE"] = state, ["OTQ_CLICKHOUSE_KEEP_DIR"] = "1" });
    }

    /// <summary>Starts a node <see cref="StopNodeAsync"/> stopped again, on its data, ports and cluster config.</summary>
    public async Task StartNodeAsync(int node)
    {
        var (dir, url) = _stopped[node];
        await RepositoryScript.RunOrFailAsync(Path.Combine("tests", "clickhouse", "start.sh"), new Dictionary<string, string>
        {
            ["OTQ_CLICKHOUSE_STATE"] = NodeState(node),
            ["OTQ_CLICKHOUSE_DIR"] = dir,
            ["OTQ_CLICKHOUSE_HTTP_PORT"] = Port(url.Port),
            ["OTQ_CLICKHOUSE_TCP_PORT"] = Port(url.Port + 1), // tests/cluster/start.sh's port scheme
            ["OTQ_CLICKHOUSE_INTERSERVER_PORT"] = Port(url.Port + 2),
        });
        _stopped.Remove(node);
    }

    private readonly Dictionary<int, (string Dir, Uri Url)> _stopped = [];

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string NodeState(int node) =>
        Path.Combine(Environment.GetEnvironmentVariable("OTQ_CLUSTER_STATE_DIR") is { Length: > 0 } dir ? dir : "/tmp/otq-cluster", $"node{node}.state");

    /// <summary>Runs SQL on one node directly, e.g. to count what its local table holds.</summary>
    public async Task<string> QueryNodeAsync(int node, string sql)
    {
        using var response = await Http.PostAsync(Nodes[node], new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }
}
