using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>Issue 17: a workspace's budget is one for all ingest nodes when they share Redis; without Redis, each node's own.</summary>
public sealed class RedisRateBucketsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    [SkippableFact]
    public async Task Two_nodes_draw_on_one_budget_and_it_refills_on_the_clock()
    {
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 2, Burst: 10);
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time);
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time);

        Assert.True(nodeA.TryTake(budget, 6, out _));
        Assert.True(nodeB.TryTake(budget, 4, out _));
        Assert.False(nodeA.TryTake(budget, 1, out var wait)); // N nodes do not get N budgets
        Assert.Equal(TimeSpan.FromMilliseconds(500), wait); // one permit at 2 a second
        Assert.False(nodeB.TryTake(budget, 1, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(nodeB.TryTake(budget, 2, out _));
        Assert.False(nodeA.TryTake(budget, 1, out _));
        Assert.False(nodeA.TryTake(budget, 11, out var never)); // more than the burst: the wait until full
        Assert.Equal(TimeSpan.FromSeconds(5), never);
    }

    [SkippableFact]
    public async Task With_Redis_away_each_node_decides_on_its_own_buckets_and_no_request_fails()
    {
        var budget = new RateBudget("WriteKey:away", PerSecond: 1, Burst: 3);
        await using var redis = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50));
        var node = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time);

        Assert.True(node.TryTake(budget, 3, out _));
        Assert.False(node.TryTake(budget, 1, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }

    [SkippableFact]
    public async Task The_event_routes_awaited_take_draws_on_the_same_budget_as_the_synchronous_one()
    {
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 2, Burst: 10);
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time);
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time);
        await nodeA.StartAsync(CancellationToken.None);

        Assert.Null(await nodeA.TryTakeAsync(budget, 6));
        Assert.True(nodeB.TryTake(budget, 4, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(500), await nodeA.TryTakeAsync(budget, 1));
        await nodeA.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task With_Redis_away_the_awaited_take_decides_on_the_nodes_own_buckets()
    {
        var budget = new RateBudget("WriteKey:away-async", PerSecond: 1, Burst: 3);
        await using var redis = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50));
        var node = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time);
        await node.StartAsync(CancellationToken.None);

        Assert.Null(await node.TryTakeAsync(budget, 3));
        Assert.Equal(TimeSpan.FromSeconds(1), await node.TryTakeAsync(budget, 1));
        await node.StopAsync(CancellationToken.None);
    }
}
