using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The retention contract on ClickHouse, wired by AddClickHouseStore: a database per test (partitions are dropped table-wide).</summary>
public class ClickHouseBadEventRetentionContractTests : BadEventRetentionContract, IAsyncLifetime
{
    private readonly ClickHouseServerFixture _server;

    public ClickHouseBadEventRetentionContractTests()
        : this(new ClickHouseServerFixture())
    {
    }

    protected ClickHouseBadEventRetentionContractTests(ClickHouseServerFixture server) => _server = server;

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    protected override async Task<(StoreUnderTest Store, IBadEventRetention Retention)> OpenAsync()
    {
        var provider = await _server.OpenAsync();
        return (new StoreUnderTest(provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<IEventBrowser>(), () => ClickHouseServerFixture.MigrateAsync(provider)),
            provider.GetRequiredService<IBadEventRetention>());
    }

    /// <summary>
    /// The delete mutation runs in each server's background pool (18.16 has no mutations_sync): ask system.mutations of
    /// every node until none of this database is unfinished. A bounded number of polls, no sleeping; on a small table
    /// the first answer is normally already "done".
    /// </summary>
    protected override async Task SettleAsync()
    {
        for (var poll = 0; poll < 2000; poll++)
        {
            var pending = await _server.QueryEveryNodeAsync($"SELECT count() FROM system.mutations WHERE database = '{_server.Database}' AND is_done = 0");
            if (pending.All(p => p.Trim() == "0")) { return; }
            await Task.Yield();
        }

        Assert.Fail($"the delete mutation on {_server.Database}.bad_events did not finish");
    }
}

/// <summary>The retention contract on the 2-shard, 2-replica cluster: partitions dropped and rows deleted ON CLUSTER.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBadEventRetentionContractTests() : ClickHouseBadEventRetentionContractTests(new ClickHouseClusterFixture());
