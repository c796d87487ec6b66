using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.Orders;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Collector.Tests.SharedState;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>The bounded memory of taken <c>X-Shopify-Webhook-Id</c>s, per node and (issue 17) across nodes through Redis.</summary>
public sealed class ShopifyDeliveriesTests
{
    private static readonly FakeTimeProvider s_time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    /// <summary>One node without Redis.</summary>
    private static ShopifyDeliveries Alone() =>
        new(new RedisState(new RedisOptions(), s_time, new RedisServer.TestMeters(), NullLogger<RedisState>.Instance));

    [SkippableFact]
    public async Task A_delivery_one_node_took_is_known_to_another_through_Redis()
    {
        var workspace = "shop-" + Guid.NewGuid().ToString("N");
        await using var redisA = await RedisServer.ConnectAsync(s_time);
        await using var redisB = await RedisServer.ConnectAsync(s_time);
        var (nodeA, nodeB) = (new ShopifyDeliveries(redisA), new ShopifyDeliveries(redisB));

        nodeA.Taken(workspace, "wh-1");

        Assert.True(nodeB.WasTaken(workspace, "wh-1")); // Shopify's retry through the other node
        Assert.False(nodeB.WasTaken(workspace, "wh-2"));
        Assert.False(nodeB.WasTaken(workspace + "-other", "wh-1"));
        Assert.True(await redisB.TryRunAsync("test", db => db.KeyTimeToLiveAsync($"otq:shopify:{workspace}:wh-1")) is (true, { } ttl) && ttl <= ShopifyDeliveries.SharedFor);
    }

    [Fact]
    public void A_taken_id_is_known_per_workspace_until_capacity_newer_ones_push_it_out()
    {
        var deliveries = Alone();
        deliveries.Taken("shop", "wh-0");
        Assert.True(deliveries.WasTaken("shop", "wh-0"));
        Assert.False(deliveries.WasTaken("other", "wh-0"));
        Assert.False(deliveries.WasTaken("shop", "wh-1"));

        for (var i = 1; i <= ShopifyDeliveries.Capacity; i++) { deliveries.Taken("shop", "wh-" + i.ToString(CultureInfo.InvariantCulture)); }

        Assert.False(deliveries.WasTaken("shop", "wh-0"));
        Assert.True(deliveries.WasTaken("shop", "wh-1"));
        Assert.True(deliveries.WasTaken("shop", "wh-" + ShopifyDeliveries.Capacity.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void No_id_or_one_longer_than_a_uuid_could_be_is_never_remembered()
    {
        var deliveries = Alone();
        var huge = new string('x', 129);
        deliveries.Taken("shop", "");
        deliveries.Taken("shop", huge);
        Assert.False(deliveries.WasTaken("shop", ""));
        Assert.False(deliveries.WasTaken("shop", huge));
    }
}
