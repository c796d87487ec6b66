using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.ClickHouse.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>Two attribution nodes taking turns (<see cref="TwoRunNodesTests"/>) on the cluster, through different servers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTwoRunNodesTests(ClickHouseClusterFixture cluster) : TwoRunNodesTests(cluster), IClassFixture<ClickHouseClusterFixture>
{
    [SkippableFact]
    public async Task A_replica_that_does_not_answer_is_left_out_of_the_lag_check()
    {
        var provider = await cluster.OpenAsync();
        var store = await DuckDbAttributionStoreContractTests.UnderTestAsync(provider);
        var workspace = "lag-" + Guid.NewGuid().ToString("N")[..8];
        await store.Events.WriteEventsAsync(new AttributionData(workspace).ShopHistory(people: 5), CancellationToken.None);
        await store.Runs.RunAsync(workspace, new AttributionSettings(), CancellationToken.None);
        var database = provider.GetRequiredService<ClickHouseDatabase>();
        var replicas = (await cluster.QueryAsync("SELECT concat(host_address, ':', toString(port)) FROM system.clusters WHERE cluster = 'otq'"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var newest = (await ReplicaLag.ReadAsync(database, $"'{workspace}'", replicas, CancellationToken.None)).NewestRun;
        Assert.NotEqual(0UL, newest);

        var lag = await ReplicaLag.ReadAsync(database, $"'{workspace}'", [.. replicas, "127.0.0.1:1"], CancellationToken.None); // nothing listens there
        Assert.Equal(new ReplicaLag(false, newest), lag);
    }
}
