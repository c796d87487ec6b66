using System.Globalization;
using OmniTrackIQ.Collector.Orders;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>The bounded memory of taken <c>X-Shopify-Webhook-Id</c>s.</summary>
public sealed class ShopifyDeliveriesTests
{
    [Fact]
    public void A_taken_id_is_known_per_workspace_until_capacity_newer_ones_push_it_out()
    {
        var deliveries = new ShopifyDeliveries();
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
        var deliveries = new ShopifyDeliveries();
        var huge = new string('x', 129);
        deliveries.Taken("shop", "");
        deliveries.Taken("shop", huge);
        Assert.False(deliveries.WasTaken("shop", ""));
        Assert.False(deliveries.WasTaken("shop", huge));
    }
}
