namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The erasure contract on ClickHouse: a database per test; the scan reads every MergeTree table of it on every node
/// (on a cluster, each shard's rows live on its own replicas) after the delete and update mutations are done everywhere.
/// </summary>
public class ClickHouseErasureStoreContractTests : ErasureStoreContract, IAsyncLifetime
{
    private readonly ClickHouseServerFixture _server;

    public ClickHouseErasureStoreContractTests()
        : this(new ClickHouseServerFixture())
    {
    }

    protected ClickHouseErasureStoreContractTests(ClickHouseServerFixture server) => _server = server;

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    protected override async Task<ErasureStoreUnderTest> OpenAsync() => await DuckDbErasureStoreContractTests.UnderTestAsync(await _server.OpenAsync());

    protected override async Task<IReadOnlyList<(string Table, string Row)>> AllRowsAsync()
    {
        var rows = new List<(string, string)>();
        var scanned = new HashSet<string>();
        var tableLists = await _server.QueryEveryNodeAsync(
            $"SELECT name FROM system.tables WHERE database = '{_server.Database}' AND engine LIKE '%MergeTree' ORDER BY name");
        var nodeTables = tableLists.Select(list => list.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        foreach (var table in nodeTables.SelectMany(t => t).Distinct(StringComparer.Ordinal))
        {
            // A cluster's tables are the nodes' "_local" tables; the contract names the logical table.
            var name = _server.Cluster is null ? table : table.Replace("_local", "", StringComparison.Ordinal);
            scanned.Add(name);
            // A row held by both replicas of its shard is one row: each row counts as often as the node holding it most
            // often holds it, so a replica the erasure missed still shows its row, and the copies do not double counts.
            var most = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var text in await _server.QueryEveryNodeAsync($"SELECT * FROM {_server.Database}.{table} FORMAT JSONEachRow"))
            {
                foreach (var group in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).GroupBy(row => row, StringComparer.Ordinal))
                {
                    most[group.Key] = Math.Max(most.GetValueOrDefault(group.Key), group.Count());
                }
            }

            rows.AddRange(most.SelectMany(row => Enumerable.Repeat((name, row.Key), row.Value)));
        }

        Assert.Contains("identity_links", scanned);
        Assert.Contains("attribution_people", scanned);
        return rows;
    }

    protected override Task SettleAsync() => _server.UntilMutationsDoneAsync();
}
