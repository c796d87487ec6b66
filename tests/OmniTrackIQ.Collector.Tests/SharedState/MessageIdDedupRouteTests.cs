using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>Issue 17, Redis use 2, through HTTP: two collectors sharing Redis, a client's batch and its retry through the other one.</summary>
public sealed class MessageIdDedupRouteTests
{
    /// <summary>The timestamp <see cref="Payloads.Event"/> gives every event: the hour whose hash holds their marks.</summary>
    private static readonly DateTimeOffset s_eventsAt = DateTimeOffset.Parse("2026-11-23T11:59:58.000Z", System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_retry_through_the_other_collector_is_answered_as_before_and_counted_as_skipped()
    {
        await (await RedisServer.ConnectAsync(new FakeTimeProvider())).DisposeAsync(); // skips (or fails with CI=true) without a redis-server
        using var nodeA = Collector();
        using var nodeB = Collector();
        using var clientA = nodeA.CreateClient();
        using var clientB = nodeB.CreateClient();
        await ConnectedAsync(nodeA);
        await ConnectedAsync(nodeB);
        var prefix = "mid-" + Guid.NewGuid().ToString("N") + "-";
        var body = Payloads.ManyEvents(3, prefix);

        var first = await clientA.PostAsync("/v1/batch", Payloads.Json(body));
        // Node A marks the ids durable after its answer (grouped with other requests' marks): the retry comes after that.
        Assert.True(await MarkedIds.AllAsync(nodeA.Services.GetRequiredService<RedisState>(), "shop", s_eventsAt, [.. Enumerable.Range(0, 3).Select(i => prefix + i)]));
        var retry = await clientB.PostAsync("/v1/batch", Payloads.Json(body));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(3, JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted").GetInt32());
        const string skipped = "otq_ingest_duplicates_skipped_total{workspace=\"shop\"}";
        Assert.Equal((0L, 3L), (await MetricsScrape.ValueAsync(clientA, skipped), await MetricsScrape.ValueAsync(clientB, skipped)));
        Assert.Equal((3L, 3L), (Accepted(nodeA), Accepted(nodeB))); // answered 2xx on both, as the store's dedup would

    }

    [Fact]
    public void Without_Redis_a_collector_skips_nothing_before_the_spool()
    {
        using var alone = new CollectorFactory();
        Assert.Same(NoDurableMessageIds.Instance, alone.Services.GetRequiredService<IDurableMessageIds>());
    }

    private static long Accepted(CollectorFactory node) => node.Services.GetRequiredService<CollectorMetrics>().AcceptedEvents;

    private static CollectorFactory Collector()
    {
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Redis:Configuration"] = RedisServer.Address;
        return factory;
    }

    /// <summary>The connection is made in the background at start; the test's first request must find it made.</summary>
    private static async Task ConnectedAsync(CollectorFactory node)
    {
        Assert.IsType<RedisMessageIds>(node.Services.GetRequiredService<IDurableMessageIds>());
        var redis = node.Services.GetRequiredService<RedisState>();
        Assert.True(await Poll.UntilAsync(async () => await redis.TryRunAsync("test", db => db.PingAsync()) is (true, _), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)),
            "the collector did not connect to Redis in 10 s");
    }
}
