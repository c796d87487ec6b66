using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>One order, whoever reports it: sources, authority, refunds, cancellation, and the credit attribution gives.</summary>
public abstract class OrderLedger : ClickHouse.StoreChoice
{
    private const string Visit = """{"type":"page","messageId":"v-1","anonymousId":"anon-7f3c2a","timestamp":"2008-01-10T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}}}""";
    private const string PixelOrder = """{"type":"conversion","messageId":"px-1","anonymousId":"anon-7f3c2a","timestamp":"2008-01-10T16:00:05.000Z","properties":{"orderId":"450789469","revenue":600,"currency":"USD"}}""";

    [SkippableFact]
    public async Task Pixel_S2S_and_webhook_reports_of_one_order_are_one_conversion_with_three_sources_and_the_webhooks_money()
    {
        await using var factory = await NewFactoryAsync(Spend.SpendClient.OnlyExplicitRuns);
        using var client = Browser(factory);
        await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Visit, PixelOrder)));
        await client.SendAsync(OrderRequests.Conversions("""{"orderId":"450789469","timestamp":"2008-01-10T16:00:00Z","revenue":590,"currency":"USD","anonymousId":"anon-7f3c2a"}"""));
        await client.SendAsync(OrderRequests.Webhook("orders/paid", OrderRequests.Fixture("orders-paid.json"), "evt-p"));

        var order = await OrderRequests.WaitForOrderAsync(client, "450789469", 3);
        Assert.Equal(["shopify", "s2s", "pixel"], order.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal((598.94m, 598.94m, "paid"), (order.GetProperty("gross").GetDecimal(), order.GetProperty("net").GetDecimal(), order.GetProperty("status").GetString()));

        await OrderRequests.RunAttributionAsync(client);
        var summary = await CollectorClient.GetJsonAsync(client, "/v1/attribution/summary?model=last&lookbackDays=any");
        var row = Assert.Single(summary.GetProperty("rows").EnumerateArray());
        Assert.Equal(("Paid Search", 1.0, 598.94), (row.GetProperty("key").GetString(), row.GetProperty("conversions").GetDouble(), Math.Round(row.GetProperty("revenue").GetDouble(), 2)));
        var detail = await OrderRequests.WaitForOrderAsync(client, "450789469", 3);
        Assert.Equal("Paid Search", detail.GetProperty("path").GetString());
        Assert.Equal("Paid Search", Assert.Single(detail.GetProperty("touches").EnumerateArray()).GetProperty("channel").GetString());
    }

    [SkippableFact]
    public async Task A_partial_refund_reduces_the_credit_and_a_cancellation_credits_nothing()
    {
        await using var factory = await NewFactoryAsync(Spend.SpendClient.OnlyExplicitRuns);
        using var client = Browser(factory);
        await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Visit)));
        using var paid = await client.SendAsync(OrderRequests.Webhook("orders/paid", OrderRequests.Fixture("orders-paid.json"), "evt-1"));
        using var refund = await client.SendAsync(OrderRequests.Webhook("refunds/create", OrderRequests.Fixture("refunds-create.json"), "evt-2"));
        Assert.Equal((System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.OK), (paid.StatusCode, refund.StatusCode));

        var refunded = await OrderRequests.WaitForOrderAsync(client, "450789469", 2);
        Assert.Equal(("partially_refunded", 41.94m, 557.00m), (refunded.GetProperty("status").GetString(), refunded.GetProperty("refunded").GetDecimal(), refunded.GetProperty("net").GetDecimal()));
        await OrderRequests.RunAttributionAsync(client);
        Assert.Equal(557.00, Revenue(await CollectorClient.GetJsonAsync(client, "/v1/attribution/summary?model=linear&lookbackDays=any")), 2);

        var cancelled = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(OrderRequests.Fixture("orders-paid.json"))
            .Replace("\"cancelled_at\": null", "\"cancelled_at\": \"2008-01-11T09:00:00-05:00\"", StringComparison.Ordinal));
        using var cancel = await client.SendAsync(OrderRequests.Webhook("orders/cancelled", cancelled, "evt-3"));
        Assert.Equal(System.Net.HttpStatusCode.OK, cancel.StatusCode);
        var order = await OrderRequests.WaitForOrderAsync(client, "450789469", 3);
        Assert.Equal(("cancelled", 0m), (order.GetProperty("status").GetString(), order.GetProperty("net").GetDecimal()));
        await OrderRequests.RunAttributionAsync(client);
        Assert.Equal(0, Revenue(await CollectorClient.GetJsonAsync(client, "/v1/attribution/summary?model=linear&lookbackDays=any")), 6);
    }

    [SkippableFact]
    public async Task A_multi_currency_order_is_kept_in_the_shop_currency_with_its_presentment_amount()
    {
        await using var factory = await NewFactoryAsync(Spend.SpendClient.OnlyExplicitRuns);
        using var client = Browser(factory);
        await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("orders-create.json"), "evt-mc"));

        var order = await OrderRequests.WaitForOrderAsync(client, "820982911946154508", 1);
        Assert.Equal(("EUR", 403.00m), (order.GetProperty("currency").GetString(), order.GetProperty("gross").GetDecimal()));
        var conversion = (await CollectorClient.WaitForEventsAsync(client, 1)).Single(e => e.GetProperty("type").GetString() == "conversion");
        using var properties = JsonDocument.Parse(conversion.GetProperty("properties").GetString()!);
        Assert.Equal(("USD", 437.15m), (properties.RootElement.GetProperty("presentmentCurrency").GetString(), properties.RootElement.GetProperty("presentmentGross").GetDecimal()));
    }

    private static double Revenue(JsonElement summary) => summary.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("revenue").GetDouble());

    private static HttpClient Browser(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Ingest.SegmentRequests.BrowserUserAgent);
        return client;
    }
}

/// <summary>On the embedded store.</summary>
public sealed class OrderLedgerTests : OrderLedger
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseOrderLedgerTests : OrderLedger
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
