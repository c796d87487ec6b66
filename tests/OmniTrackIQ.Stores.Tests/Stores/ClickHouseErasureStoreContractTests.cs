namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The erasure contract on ClickHouse: a database per test class; the scan reads every MergeTree table of it after the
/// delete and update mutations are done.
/// </summary>
public sealed class ClickHouseErasureStoreContractTests : ErasureStoreContract, IAsyncLifetime
{
    private readonly ClickHouseServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    protected override async Task<ErasureStoreUnderTest> OpenAsync() => await DuckDbErasureStoreContractTests.UnderTestAsync(await _server.OpenAsync());

    protected override async Task<IReadOnlyList<(string Table, string Row)>> AllRowsAsync()
    {
        var tables = (await _server.QueryAsync($"SELECT name FROM system.tables WHERE database = '{_server.Database}' AND engine LIKE '%MergeTree' ORDER BY name"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("identity_links", tables);
        Assert.Contains("attribution_people", tables);
        var rows = new List<(string, string)>();
        foreach (var table in tables)
        {
            var text = await _server.QueryAsync($"SELECT * FROM {_server.Database}.{table} FORMAT JSONEachRow");
            rows.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(row => (table, row)));
        }

        return rows;
    }

    /// <summary>The mutations run in the server's background pool (18.16 has no mutations_sync): poll system.mutations, bounded, no sleeping.</summary>
    protected override async Task SettleAsync()
    {
        for (var poll = 0; poll < 2000; poll++)
        {
            var pending = await _server.QueryAsync($"SELECT count() FROM system.mutations WHERE database = '{_server.Database}' AND is_done = 0");
            if (pending.Trim() == "0") { return; }
            await Task.Yield();
        }

        Assert.Fail($"the erasure mutations on {_server.Database} did not finish");
    }
}
