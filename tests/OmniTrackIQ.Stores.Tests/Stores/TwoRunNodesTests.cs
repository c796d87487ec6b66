using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// Issue 17, at the store: two attribution nodes (two stores, as two processes hold them, each with its own clock,
/// node b's 30 s behind node a's) take turns at one workspace while events keep arriving, and what they leave is, to
/// the digit, what one full recompute writes, Markov and Shapley included. On the cluster, node a talks to shard 1's
/// second replica and node b to another server (reading shard 1's first replica), the workspace lies on shard 1, and
/// node a's last run has not reached node b's replica when node b runs (fetches stopped there): the regression of
/// session 7, where node b numbered its run below node a's by its clock, and readers kept node a's older channel models.
/// </summary>
public class TwoRunNodesTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30, MarkovOrder = 2 };

    /// <summary>The replicated tables a run writes (their <c>_local</c> tables on a cluster).</summary>
    private static readonly string[] s_runTables =
        ["attribution_state", "person_paths", "attribution_conversions", "attribution_touches", "attribution_channel_models", "identity_links", "attribution_people"];

    [SkippableFact]
    public async Task Ticks_of_two_nodes_with_clocks_apart_and_a_lagging_replica_leave_what_a_full_recompute_writes()
    {
        var reader = await DuckDbAttributionStoreContractTests.UnderTestAsync(await server.OpenAsync());
        var data = new AttributionData(await WorkspaceOnShardOneAsync());
        var clockA = new FakeTimeProvider(server.Time.GetUtcNow().AddSeconds(30));
        var clockB = new FakeTimeProvider(server.Time.GetUtcNow());
        var nodeA = await NodeAsync(node: 1, clockA);
        var nodeB = await NodeAsync(node: 3, clockB);
        var history = data.ShopHistory(people: 60).OrderBy(e => e.Ts).ToList();
        var third = history.Count / 3;

        await ArriveAsync(reader, history[..third], clockA, clockB);
        await nodeB.RunAsync(data.Workspace, Settings, CancellationToken.None);
        await SyncReplicasAsync(s_runTables);

        await ArriveAsync(reader, history[third..(2 * third)], clockA, clockB);
        await StopFetchesAsync(node: 0); // node b's replica of shard 1 will not see node a's next run
        await nodeA.RunAsync(data.Workspace, Settings, CancellationToken.None);

        await ArriveAsync(reader, history[(2 * third)..], clockA, clockB);
        await nodeB.RunAsync(data.Workspace, Settings, CancellationToken.None);
        await StartFetchesAsync(node: 0);
        await SyncReplicasAsync(s_runTables);

        var byTwoNodes = await AttributionStoreContract.SnapshotAsync(reader, data.Workspace);
        await reader.Runs.RecomputeAsync(data.Workspace, Settings, null, CancellationToken.None);
        await SyncReplicasAsync(s_runTables);
        var recomputed = await AttributionStoreContract.SnapshotAsync(reader, data.Workspace);
        Assert.Contains("markov|channel|", recomputed, StringComparison.Ordinal);
        Assert.Contains("shapley|channel|", recomputed, StringComparison.Ordinal);
        Assert.Equal(recomputed, byTwoNodes);
    }

    /// <summary>A store as another process holds it: its own clock, on <paramref name="node"/> of a cluster.</summary>
    private async Task<IAttributionStore> NodeAsync(int node, TimeProvider clock) =>
        (await DuckDbAttributionStoreContractTests.UnderTestAsync(await server.OpenAsync(server.Options(node: node), clock))).Runs;

    /// <summary>
    /// Events arrive (through node 0, as an ingest node writes them) and every replica has them, a second later on
    /// every clock: the lag this test makes is in the run's rows, not in the events.
    /// </summary>
    private async Task ArriveAsync(AttributionStoreUnderTest ingest, List<TrackedEvent> events, params FakeTimeProvider[] clocks)
    {
        foreach (var clock in clocks.Append(server.Time)) { clock.Advance(TimeSpan.FromSeconds(1)); }
        await ingest.Events.WriteEventsAsync(events, CancellationToken.None);
        await SyncReplicasAsync("events");
    }

    /// <summary>A fresh workspace name the sharding key (<c>cityHash64(workspace)</c>) sends to shard 1 (any name on one server).</summary>
    private async Task<string> WorkspaceOnShardOneAsync()
    {
        while (true)
        {
            var name = $"two-{Guid.NewGuid():N}"[..16];
            if (server.Cluster is null || (await server.QueryAsync($"SELECT cityHash64('{name}') % 2")).Trim() == "0") { return name; }
        }
    }

    /// <summary>Waits until every replica has fetched what the others hold of <paramref name="tables"/> (nothing to wait for on one server).</summary>
    private async Task SyncReplicasAsync(params string[] tables)
    {
        if (server.Cluster is null) { return; }
        foreach (var table in tables) { await server.QueryEveryNodeAsync($"SYSTEM SYNC REPLICA {server.Database}.{table}_local"); }
    }

    private Task StopFetchesAsync(int node) => FetchesAsync(node, "STOP");

    private Task StartFetchesAsync(int node) => FetchesAsync(node, "START");

    private async Task FetchesAsync(int node, string verb)
    {
        if (server is not ClickHouseClusterFixture cluster) { return; }
        foreach (var table in s_runTables)
        {
            await cluster.QueryNodeAsync(node, string.Create(CultureInfo.InvariantCulture, $"SYSTEM {verb} FETCHES {server.Database}.{table}_local"));
        }
    }
}
