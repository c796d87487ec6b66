using System.Net;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>
/// Shopify's delivery headers are not signed: a report is its signed payload, and an order's state is the newest by the
/// payload's own <c>updated_at</c>, so an old signed body re-sent (under any ids) or delivered late cannot undo a
/// newer state. On either store (the subclasses).
/// </summary>
public abstract class ShopifyReplay : ClickHouse.StoreChoice
{
    private const string OrderId = "450789469";

    /// <summary>A day after orders-paid.json: Shopify moves updated_at with the cancellation.</summary>
    private static byte[] Cancelled() => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(OrderRequests.Fixture("orders-paid.json"))
        .Replace("\"cancelled_at\": null", "\"cancelled_at\": \"2008-01-11T09:00:00-05:00\"", StringComparison.Ordinal)
        .Replace("\"updated_at\": \"2008-01-10T11:00:00-05:00\"", "\"updated_at\": \"2008-01-11T09:00:00-05:00\"", StringComparison.Ordinal));

    [SkippableFact]
    public async Task An_old_signed_orders_paid_re_sent_under_a_new_event_and_webhook_id_after_orders_cancelled_leaves_the_order_cancelled()
    {
        await using var factory = await NewFactoryAsync(Spend.SpendClient.OnlyExplicitRuns);
        using var client = factory.CreateClient();
        var paid = OrderRequests.Fixture("orders-paid.json");
        await SendAsync(client, "orders/paid", paid, "evt-paid");
        await SendAsync(client, "orders/cancelled", Cancelled(), "evt-cancel");
        await OrderRequests.WaitForOrderAsync(client, OrderId, 2);

        // The replay: the same signed bytes, new X-Shopify-Event-Id and X-Shopify-Webhook-Id, then a marker order behind it.
        await SendAsync(client, "orders/paid", paid, "evt-replay");
        await SendAsync(client, "orders/create", OrderRequests.Fixture("order-pos.json"), "evt-marker");
        await OrderRequests.WaitForOrderAsync(client, "5940139491234", 1);

        var order = await OrderRequests.WaitForOrderAsync(client, OrderId, 2);
        Assert.Equal(("cancelled", 0m, 598.94m), (order.GetProperty("status").GetString(), order.GetProperty("net").GetDecimal(), order.GetProperty("gross").GetDecimal()));
        // Stored once: the replay is the first paid report, not a new one.
        Assert.Equal(["paid", "cancelled"], Reports(order).Select(r => r.GetProperty("status").GetString()));
        Assert.All(Reports(order), r => Assert.Matches("^shopify:orders/(paid|cancelled):[0-9a-f]{32}$", r.GetProperty("messageId").GetString()));
    }

    [SkippableFact]
    public async Task Orders_cancelled_delivered_before_the_older_orders_paid_ends_cancelled()
    {
        await using var factory = await NewFactoryAsync(Spend.SpendClient.OnlyExplicitRuns);
        using var client = factory.CreateClient();
        await SendAsync(client, "orders/cancelled", Cancelled(), "evt-cancel");
        await SendAsync(client, "orders/paid", OrderRequests.Fixture("orders-paid.json"), "evt-paid");

        var order = await OrderRequests.WaitForOrderAsync(client, OrderId, 2);
        Assert.Equal(("cancelled", 0m), (order.GetProperty("status").GetString(), order.GetProperty("net").GetDecimal()));
        Assert.Equal([("cancelled", "2008-01-11T14:00:00Z"), ("paid", "2008-01-10T16:00:00Z")],
            Reports(order).Select(r => (r.GetProperty("status").GetString(), r.GetProperty("updatedAt").GetString())));
    }

    private static async Task SendAsync(HttpClient client, string topic, byte[] body, string eventId)
    {
        using var response = await client.SendAsync(OrderRequests.Webhook(topic, body, eventId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static List<JsonElement> Reports(JsonElement order) => [.. order.GetProperty("reports").EnumerateArray()];
}

/// <summary>On the embedded store.</summary>
public sealed class ShopifyReplayTests : ShopifyReplay
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseShopifyReplayTests : ShopifyReplay
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
