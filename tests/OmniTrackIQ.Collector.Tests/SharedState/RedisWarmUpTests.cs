using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.SharedState;

namespace OmniTrackIQ.Collector.Tests.SharedState;

/// <summary>
/// Issue 17, cost (bench/RESULTS.md "Session 12"): with Redis configured a node says it is ready only after it ran the
/// batch path's Redis code (the warm-up), and a Redis that is away never keeps it unready. Without Redis the readiness
/// answers keep their lines (EndpointContractTests.Health_readiness_and_metrics_answer).
/// </summary>
public sealed class RedisWarmUpTests
{
    [SkippableFact]
    public async Task A_node_with_Redis_is_ready_once_every_warm_up_round_went_through_Redis()
    {
        await (await RedisServer.ConnectAsync(new FakeTimeProvider())).DisposeAsync(); // skips (or fails with CI=true) without a redis-server
        using var node = Collector(RedisServer.Address);
        node.Settings["OmniTrack:Redis:Timeout"] = "00:00:02"; // a busy test box must not turn a round into a fallback
        using var client = node.CreateClient();

        Assert.True(await ReadyAsync(client), "/readyz/ingest did not answer 200 in 30 s");

        Assert.Equal("spool: ok\nredis: ok\n", await client.GetStringAsync("/readyz/ingest"));
        Assert.Equal("store: ok\nspool: ok\nredis: ok\n", await client.GetStringAsync("/readyz"));
        Assert.Equal(RedisWarmUp.Waves * RedisWarmUp.RoundsPerWave, node.Services.GetRequiredService<RedisWarmUp>().Rounds);
        Assert.Equal(0L, await MetricsScrape.ValueAsync(client, "otq_redis_fallbacks_total{use=\"message_ids\"}"));
    }

    [Fact]
    public async Task A_node_whose_Redis_is_away_is_ready_without_warming_up()
    {
        using var node = Collector(RedisServer.Away);
        using var client = node.CreateClient();

        Assert.True(await ReadyAsync(client), "/readyz/ingest did not answer 200 in 30 s");

        Assert.Equal("spool: ok\nredis: not connected (each use falls back)\n", await client.GetStringAsync("/readyz/ingest"));
        Assert.Equal(0, node.Services.GetRequiredService<RedisWarmUp>().Rounds);
        Assert.Equal(0L, await MetricsScrape.ValueAsync(client, "otq_redis_fallbacks_total{use=\"message_ids\"}"));
    }

    private static CollectorFactory Collector(string redis)
    {
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Redis:Configuration"] = redis;
        return factory;
    }

    private static Task<bool> ReadyAsync(HttpClient client) => Poll.UntilAsync(async () =>
    {
        using var ready = await client.GetAsync("/readyz/ingest");
        return ready.StatusCode == HttpStatusCode.OK;
    }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
}
