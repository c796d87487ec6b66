using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Collector.SharedState;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>Issue 17: one attribution run per workspace at a time across every node that shares Redis.</summary>
public sealed class AttributionLeaseTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    [SkippableFact]
    public async Task A_workspace_leased_by_one_node_is_refused_to_another_until_released_and_other_workspaces_are_free()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N");
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var options = new RedisOptions { LeaseTtl = TimeSpan.FromSeconds(30) };
        var nodeA = new AttributionLease(redisA, options, _time);
        var nodeB = new AttributionLease(redisB, options, _time);

        var held = await nodeA.TryAcquireAsync(workspace);
        Assert.NotNull(held);
        Assert.Null(await nodeB.TryAcquireAsync(workspace));
        Assert.Null(await nodeA.TryAcquireAsync(workspace)); // the same node, a second run
        await using (var other = await nodeB.TryAcquireAsync(workspace + "-other")) { Assert.NotNull(other); }

        await held.DisposeAsync();
        await using var next = await nodeB.TryAcquireAsync(workspace);
        Assert.NotNull(next);
    }

    [SkippableFact]
    public async Task A_lease_is_renewed_while_its_run_lasts_past_its_ttl_and_released_at_its_end()
    {
        var workspace = "ws-" + Guid.NewGuid().ToString("N");
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var options = new RedisOptions { LeaseTtl = TimeSpan.FromMilliseconds(600) }; // Redis expires it on its own clock
        var nodeB = new AttributionLease(redisB, options, _time);

        var held = await new AttributionLease(redisA, options, _time).TryAcquireAsync(workspace);
        Assert.NotNull(held);
        for (var i = 0; i < 15; i++) // 1.5 s of Redis's time, more than twice the ttl: only renewals keep the key
        {
            _time.Advance(TimeSpan.FromMilliseconds(200)); // the renewal timer (every ttl/3) runs on the test clock
            await Task.Delay(100);
            Assert.True(await redisB.TryRunAsync("test", db => db.KeyExistsAsync("otq:lease:attribution:" + workspace)) is (true, true));
        }

        Assert.Null(await nodeB.TryAcquireAsync(workspace));
        await held.DisposeAsync();
        Assert.True(await redisB.TryRunAsync("test", db => db.KeyExistsAsync("otq:lease:attribution:" + workspace)) is (true, false));
    }

    [SkippableFact]
    public async Task With_Redis_away_the_workspace_is_held_back_for_a_lease_ttl_then_the_lease_is_this_nodes_alone()
    {
        await using var redis = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50));
        var lease = new AttributionLease(redis, new RedisOptions { LeaseTtl = TimeSpan.FromSeconds(30) }, _time);

        Assert.Null(await lease.TryAcquireAsync("shop")); // a moment's silence: another node may hold it
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await lease.TryAcquireAsync("shop"));
        _time.Advance(TimeSpan.FromSeconds(1)); // silent for a whole ttl: an outage, attribution goes on here

        await using var held = await lease.TryAcquireAsync("shop");
        Assert.NotNull(held);
        Assert.Null(await lease.TryAcquireAsync("shop"));
    }
}
