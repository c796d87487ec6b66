using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// What the cluster adds over one server, on 2 shards x 2 replicas: writes go on while a replica is down and the
/// replica catches up when it is back; copies of one event made through two ingest nodes become one row.
/// </summary>
[Collection(ClusterNodeStopsCollection.Name)]
public sealed class ClusterReplicationTests(ClickHouseClusterFixture cluster) : IClassFixture<ClickHouseClusterFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 11, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task An_insert_while_a_replica_is_down_succeeds_and_the_replica_catches_up_when_it_is_back()
    {
        var store = (await cluster.OpenAsync()).GetRequiredService<IEventStore>();
        var (first, second) = (await WorkspaceOnShardAsync(1), await WorkspaceOnShardAsync(2));

        await cluster.StopNodeAsync(2); // shard 2's first replica, where its inserts and reads go while it is up
        try
        {
            Assert.Equal(20, await store.WriteEventsAsync([.. Events(first, 10), .. Events(second, 10)], CancellationToken.None));
            Assert.Equal(10, (await store.GetStatsAsync(second, CancellationToken.None)).Total);
            Assert.Equal(0, await store.WriteEventsAsync(Events(second, 10), CancellationToken.None)); // the existence check sees them
        }
        finally
        {
            await cluster.StartNodeAsync(2);
        }

        var caughtUp = await PollAsync(async () => await CountAsync(2, second) == 10);
        Assert.True(caughtUp, $"node 2 holds {await CountAsync(2, second)} of shard 2's 10 rows after its restart");
        Assert.Equal(10, await CountAsync(3, second)); // the replica that took the writes
        Assert.Equal(0, await CountAsync(0, second)); // shard 1 holds none of shard 2's workspace
        Assert.Equal(10, (await store.GetStatsAsync(first, CancellationToken.None)).Total);
    }

    [SkippableFact]
    public async Task Copies_of_one_event_with_different_times_written_through_two_nodes_are_one_row_once_merged()
    {
        var nodeA = (ClickHouseEventStore)(await cluster.OpenAsync()).GetRequiredService<IEventStore>();
        var nodeB = (ClickHouseEventStore)(await cluster.OpenAsync()).GetRequiredService<IEventStore>();
        var workspace = await WorkspaceOnShardAsync(1);
        var copy = Events(workspace, 1)[0];
        copy.Ts = copy.Ts.AddSeconds(3); // the retry's sentAt moved its skew-corrected time

        await nodeA.InsertAsync(Events(workspace, 1), CancellationToken.None); // racing writers: past the existence check
        await nodeB.InsertAsync([copy], CancellationToken.None);

        Assert.Equal(1, (await nodeA.GetStatsAsync(workspace, CancellationToken.None)).Total); // reads are exact before any merge
        Assert.Equal("1", (await cluster.QueryAsync(
            $"SELECT count() FROM {cluster.Database}.events FINAL WHERE workspace = '{workspace}'")).Trim()); // and the merge collapses them
    }

    private static List<TrackedEvent> Events(string workspace, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new TrackedEvent
        {
            Workspace = workspace, MessageId = $"m{i}", Type = EventType.Page, Channel = "Direct", AnonymousId = $"anon-{i}",
            Ts = T0.AddSeconds(i), ReceivedAt = T0.AddSeconds(i + 1),
        }),
    ];

    /// <summary>A fresh workspace name the sharding key (<c>cityHash64(workspace)</c>, equal weights) sends to <paramref name="shard"/>.</summary>
    private async Task<string> WorkspaceOnShardAsync(int shard)
    {
        for (var i = 0; ; i++)
        {
            var name = $"ws-{Guid.NewGuid():N}"[..15];
            if ((await cluster.QueryAsync($"SELECT cityHash64('{name}') % 2")).Trim() == (shard - 1).ToString(CultureInfo.InvariantCulture)) { return name; }
        }
    }

    private async Task<long> CountAsync(int node, string workspace) =>
        long.Parse((await cluster.QueryNodeAsync(node, $"SELECT count() FROM {cluster.Database}.events_local WHERE workspace = '{workspace}'")).Trim(),
            CultureInfo.InvariantCulture);

    /// <summary>Polls (bounded: 30 s) until <paramref name="done"/>; replication is asynchronous.</summary>
    private static Task<bool> PollAsync(Func<Task<bool>> done) => Poll.UntilAsync(async () =>
    {
        try
        {
            return await done();
        }
        catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException)
        {
            return false; // the restarted node is still starting
        }
    }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
}
