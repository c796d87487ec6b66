using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>
/// Issue 17, cost: the Redis calls of concurrent requests are grouped (bench/RESULTS.md "Session 10: Redis calls
/// coalesced"). What queued while a call was out goes in one call per workspace (message ids) or per budget (rate
/// limit), each request still gets exactly its own answer, and every mark arrives. The shares are queued before the
/// loop starts, as requests queue while the previous call is out, so the number of calls is exact.
/// </summary>
public sealed class GroupedRedisCallsTests
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 6, 23, 30, 0, TimeSpan.Zero); // the events' own timestamp
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly string _workspace = "ws-" + Guid.NewGuid().ToString("N");
    private readonly RedisServer.TestMeters _meters = new();

    [SkippableFact]
    public async Task The_marks_of_fifty_requests_go_in_one_call_and_every_mark_arrives()
    {
        await using var redis = await RedisServer.ConnectAsync(_time, meters: _meters);
        using var calls = new MetricCollector<long>(_meters.Meters[0], "otq_redis_calls_total");
        var ids = new RedisMessageIds(redis, new RedisOptions());
        for (var request = 0; request < 50; request++) { await ids.MarkDurableAsync(_workspace, Events(request * 20, 20)); }

        await ids.StartAsync(CancellationToken.None);

        Assert.True(await MarkedIds.AllAsync(redis, _workspace, s_at, [.. Enumerable.Range(0, 1_000).Select(Id)]), "not every mark reached Redis");
        Assert.Equal(1L, Sum(calls, "message_ids"));
        await ids.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task Concurrent_look_ups_share_one_round_trip_per_workspace_and_each_gets_its_own_answer()
    {
        await using var redis = await RedisServer.ConnectAsync(_time, meters: _meters);
        using var calls = new MetricCollector<long>(_meters.Meters[0], "otq_redis_calls_total");
        Assert.True(await MarkedIds.WriteAsync(redis, _workspace, s_at, (Id(3), Id(3)), (Id(25), Id(25))));
        var ids = new RedisMessageIds(redis, new RedisOptions());

        var first = ids.FindDurableAsync(_workspace, Events(0, 20), CancellationToken.None).AsTask(); // e3 is durable
        var second = ids.FindDurableAsync(_workspace, Events(20, 20), CancellationToken.None).AsTask(); // e25: its index 5
        var third = ids.FindDurableAsync(_workspace, Events(40, 20), CancellationToken.None).AsTask(); // none
        var other = ids.FindDurableAsync(_workspace + "-other", Events(0, 20), CancellationToken.None).AsTask(); // its own e3 is not
        await ids.StartAsync(CancellationToken.None);
        var answers = await Task.WhenAll(first, second, third, other);

        Assert.Equal([3], Durable(answers[0]));
        Assert.Equal([5], Durable(answers[1]));
        Assert.Null(answers[2]);
        Assert.Null(answers[3]);
        Assert.Equal(2L, Sum(calls, "message_ids")); // one for each workspace
        await ids.StopAsync(CancellationToken.None);
    }

    [SkippableFact]
    public async Task Takes_queued_for_one_budget_are_taken_in_order_by_one_script()
    {
        await using var redis = await RedisServer.ConnectAsync(_time, meters: _meters);
        using var calls = new MetricCollector<long>(_meters.Meters[0], "otq_redis_calls_total");
        var budget = new RateBudget("WriteKey:" + Guid.NewGuid().ToString("N"), PerSecond: 2, Burst: 10);
        // No lease: each take asks Redis for exactly its permits, so the grouping is what is measured.
        var buckets = new RedisRateBuckets(redis, new LocalRateBuckets(_time), _time, new RedisOptions { RateLease = TimeSpan.Zero });

        Task<TimeSpan?>[] takes = [.. new[] { 4L, 4, 4, 2 }.Select(permits => buckets.TryTakeAsync(budget, permits).AsTask())];
        await buckets.StartAsync(CancellationToken.None);
        var waits = await Task.WhenAll(takes);

        // 10 - 4 - 4 leaves 2: the third take (4) is refused, a second at 2 a second, and takes nothing; the fourth fits.
        Assert.Equal([null, null, TimeSpan.FromSeconds(1), null], waits);
        Assert.Equal(1L, Sum(calls, "rate_limit"));
        Assert.False(buckets.TryTake(budget, 1, out _)); // the budget is spent: the grouped takes were real
        await buckets.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Marks_beyond_the_queue_are_dropped_and_counted()
    {
        await using var redis = await RedisServer.ConnectAsync(_time, RedisServer.Away, TimeSpan.FromMilliseconds(50), _meters);
        using var dropped = new MetricCollector<long>(_meters.Meters[0], "otq_redis_keys_dropped_total");
        var ids = new RedisMessageIds(redis, new RedisOptions());

        for (var request = 0; request < RedisMessageIds.MarkQueueCapacity; request++) { await ids.MarkDurableAsync(_workspace, Events(request, 1)); }
        Assert.Equal(0L, Sum(dropped, "message_ids"));
        await ids.MarkDurableAsync(_workspace, Events(0, 3)); // the loop has not run: the queue is full

        Assert.Equal(3L, Sum(dropped, "message_ids"));
    }

    private static List<TrackedEvent> Events(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => new TrackedEvent { MessageId = Id(i), Timestamp = s_at })];

    private static string Id(int i) => "e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int[] Durable(bool[]? answer) => answer is null ? [] : [.. Enumerable.Range(0, answer.Length).Where(i => answer[i])];

    private static long Sum(MetricCollector<long> counter, string use) =>
        counter.GetMeasurementSnapshot().Where(m => Equals(m.Tags["use"], use)).Sum(m => m.Value);
}
