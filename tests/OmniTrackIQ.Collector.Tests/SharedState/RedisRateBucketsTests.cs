using Microsoft.Extensions.Diagnostics.Metrics.Testing;
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
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time, new RedisOptions());
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time, new RedisOptions());

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
        var node = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time, new RedisOptions());

        Assert.True(node.TryTake(budget, 3, out _));
        Assert.False(node.TryTake(budget, 1, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }

    [SkippableFact]
    public async Task The_event_routes_awaited_take_draws_on_the_same_budget_as_the_synchronous_one_and_leases_ahead()
    {
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 2, Burst: 10);
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time, Leasing(TimeSpan.FromMilliseconds(500))); // a lease of 1 permit
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time, new RedisOptions());
        await nodeA.StartAsync(CancellationToken.None);

        Assert.Null(await nodeA.TryTakeAsync(budget, 6)); // took 7: its 6 and a lease of 1
        Assert.Equal(1L, nodeA.Leased(budget));
        Assert.False(nodeB.TryTake(budget, 4, out _));
        Assert.True(nodeB.TryTake(budget, 3, out _));
        Assert.Null(await nodeA.TryTakeAsync(budget, 1)); // from its lease
        Assert.Equal(TimeSpan.FromMilliseconds(500), await nodeA.TryTakeAsync(budget, 1));
        await nodeA.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task Two_leasing_nodes_never_exceed_the_one_budget_and_any_stretch_by_at_most_one_lease_a_node()
    {
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 10, Burst: 20);
        var leasing = Leasing(TimeSpan.FromMilliseconds(500)); // 5 permits at 10 a second
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time, leasing);
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time, leasing);
        await nodeA.StartAsync(CancellationToken.None);
        await nodeB.StartAsync(CancellationToken.None);

        // Second 0: A takes 1 and holds a lease of 5; B gets the 14 left, and no more.
        Assert.Null(await nodeA.TryTakeAsync(budget, 1));
        Assert.Null(await nodeB.TryTakeAsync(budget, 14));
        Assert.Equal(TimeSpan.FromMilliseconds(100), await nodeB.TryTakeAsync(budget, 1));
        Assert.Equal((5L, 0L), (nodeA.Leased(budget), nodeB.Leased(budget))); // 15 spent + 5 held = the burst of 20, not 2 x 20

        // Second 1: the budget gains 10. A spends the 5 it held (no wait), and its background top-up takes 5 more of the 10.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await nodeA.TryTakeAsync(budget, 5));
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(nodeA.Leased(budget) == 5)), "the lease was not topped up");
        Assert.Null(await nodeB.TryTakeAsync(budget, 5));
        Assert.Null(await nodeA.TryTakeAsync(budget, 5));
        Assert.Equal(TimeSpan.FromMilliseconds(100), await nodeA.TryTakeAsync(budget, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(100), await nodeB.TryTakeAsync(budget, 1));

        // Spent in second 1: 15 = the rate (10) + A's lease taken in second 0 (5): over a stretch, one lease a node more
        // than one bucket allows; over both seconds, 30 = the burst (20) + 1 s of the rate (10): never more than the budget.
        await nodeA.StopAsync(CancellationToken.None);
        await nodeB.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task Requests_that_find_the_lease_short_together_take_one_lease_not_one_each()
    {
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 10, Burst: 20);
        await using var redisA = await RedisServer.ConnectAsync(_time);
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time, Leasing(TimeSpan.FromMilliseconds(500))); // 5 permits
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time, new RedisOptions());

        // Four requests queue before the first call (as at a node's start under load): one call, 4 x 3 permits + one lease.
        Task<TimeSpan?>[] takes = [.. Enumerable.Range(0, 4).Select(_ => nodeA.TryTakeAsync(budget, 3).AsTask())];
        await nodeA.StartAsync(CancellationToken.None);

        Assert.Equal([null, null, null, null], await Task.WhenAll(takes));
        Assert.Equal(5L, nodeA.Leased(budget));
        Assert.True(nodeB.TryTake(budget, 20 - 12 - 5, out _)); // what is left in the one budget
        Assert.False(nodeB.TryTake(budget, 1, out _));
        await nodeA.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task A_lease_below_half_is_topped_up_in_the_background_from_the_shared_budget()
    {
        var meters = new RedisServer.TestMeters();
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 100, Burst: 200);
        await using var redisA = await RedisServer.ConnectAsync(_time, meters: meters);
        using var calls = new MetricCollector<long>(meters.Meters[0], "otq_redis_calls_total");
        await using var redisB = await RedisServer.ConnectAsync(_time);
        var nodeA = new RedisRateBuckets(redisA, new LocalRateBuckets(_time), _time, Leasing(TimeSpan.FromMilliseconds(100))); // 10 permits
        var nodeB = new RedisRateBuckets(redisB, new LocalRateBuckets(_time), _time, new RedisOptions());
        await nodeA.StartAsync(CancellationToken.None);

        Assert.Null(await nodeA.TryTakeAsync(budget, 1)); // one call: 1 + a lease of 10
        for (var take = 0; take < 6; take++) { Assert.Null(await nodeA.TryTakeAsync(budget, 1)); } // the lease: 10 -> 4, below half
        Assert.True(await Poll.UntilAsync(() => Task.FromResult(nodeA.Leased(budget) == 10)), "the lease was not topped up");

        Assert.Equal(2L, calls.GetMeasurementSnapshot().Sum(m => m.Value)); // 7 takes, 2 calls: the first and the top-up
        Assert.True(nodeB.TryTake(budget, 200 - 11 - 6, out _)); // the top-up's 6 came from the one budget
        Assert.False(nodeB.TryTake(budget, 1, out _));
        await nodeA.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task When_Redis_dies_a_node_spends_its_lease_then_decides_on_its_own_buckets()
    {
        await (await RedisServer.ConnectAsync(_time)).DisposeAsync(); // skips (or fails with CI=true) where tests have no redis-server
        var meters = new RedisServer.TestMeters();
        await using var server = await RedisServer.Private.StartAsync();
        await using var redis = await RedisServer.ConnectAsync(_time, server.Address, TimeSpan.FromSeconds(1), meters);
        Assert.True(await Poll.UntilAsync(async () => await redis.TryRunAsync("test", db => db.PingAsync()) is (true, _)), "no connection to the test's own Redis");
        using var fallbacks = new MetricCollector<long>(meters.Meters[0], "otq_redis_fallbacks_total");
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 10, Burst: 20);
        var node = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time, Leasing(TimeSpan.FromMilliseconds(500))); // 5 permits
        await node.StartAsync(CancellationToken.None);
        Assert.Null(await node.TryTakeAsync(budget, 1));

        await server.StopAsync();

        Assert.Null(await node.TryTakeAsync(budget, 2)); // from the lease
        Assert.Null(await node.TryTakeAsync(budget, 3)); // from the lease (its top-up cannot reach Redis)
        Assert.Equal(0L, node.Leased(budget));
        Assert.Null(await node.TryTakeAsync(budget, 20)); // the node's own bucket, full
        Assert.Equal(TimeSpan.FromMilliseconds(100), await node.TryTakeAsync(budget, 1));
        // The top-up and the first take the lease could not cover fell back: one call if they queued together, else two.
        Assert.InRange(fallbacks.GetMeasurementSnapshot().Sum(m => m.Value), 1, 3);
        await node.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task With_Redis_away_the_awaited_take_decides_on_the_nodes_own_buckets()
    {
        var budget = new RateBudget("WriteKey:away-async", PerSecond: 1, Burst: 3);
        await using var redis = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50));
        var node = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time, new RedisOptions());
        await node.StartAsync(CancellationToken.None);

        Assert.Null(await node.TryTakeAsync(budget, 3));
        Assert.Equal(TimeSpan.FromSeconds(1), await node.TryTakeAsync(budget, 1));
        await node.StopAsync(CancellationToken.None);
    }

    private static RedisOptions Leasing(TimeSpan lease) => new() { RateLease = lease };
}
