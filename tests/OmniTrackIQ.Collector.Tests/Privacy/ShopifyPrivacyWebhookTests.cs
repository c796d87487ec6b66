using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OmniTrackIQ.Collector.Tests.Orders;

namespace OmniTrackIQ.Collector.Tests.Privacy;

/// <summary>
/// Issue 20: Shopify's mandatory compliance webhooks, from the documented payloads (Fixtures/README.md), signed as Shopify
/// signs them, against a real collector: the customer of <c>orders-create.json</c> (customer 115310627314723954, cart
/// <c>_otq_id</c> a1b2c3d4-…) has browsed and ordered; another visitor has browsed beside them. Run on both stores
/// (on ClickHouse the erasure's mutations finish in the background: reads wait for the stored count to drop).
/// </summary>
public abstract class ShopifyPrivacyWebhooks : ClickHouse.StoreChoice
{
    private const string Visitor = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    private const string Customer = "115310627314723954";
    private const string Order = "820982911946154508";

    [SkippableFact]
    public async Task Customers_redact_erases_the_customer_and_their_linked_visits_and_keeps_the_order_anonymous()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        await SeedAsync(client);
        var body = OrderRequests.Fixture("customers-redact.json");

        using var forged = await client.SendAsync(PrivacyWebhook("customers/redact", body, OrderRequests.Sign(body, "not-the-secret")));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(3, (await CollectorClient.WaitForEventsAsync(client, 3)).Length);

        using var response = await client.SendAsync(PrivacyWebhook("customers/redact", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("erase_person", 1, 1), (answer.GetProperty("action").GetString(), answer.GetProperty("eventsDeleted").GetInt32(), answer.GetProperty("ordersAnonymised").GetInt32()));

        // ClickHouse applies a DELETE mutation part by part: until every part is done a reader can already see the
        // stored count drop while the order's original row (one part) is still beside its anonymous copy (another).
        var events = await Poll.UntilAsync(
            async () => (await CollectorClient.GetJsonAsync(client, "/v1/events?limit=1000")).GetProperty("events").EnumerateArray().ToArray(),
            rows => rows.Length == 2 && !Names(rows, Visitor) && !Names(rows, Customer), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(client, 2));
        Assert.Equal(2, events.Length);
        var text = string.Join("\n", events.Select(e => e.ToString()));
        Assert.DoesNotContain(Visitor, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Customer, text, StringComparison.Ordinal);
        Assert.Contains(events, e => e.GetProperty("anonymousId").GetString() == "someone-else");
        var conversion = Assert.Single(events, e => e.GetProperty("type").GetString() == "conversion");
        Assert.Equal("order:" + Order, conversion.GetProperty("anonymousId").GetString());

        var order = await Poll.UntilAsync(() => OrderRequests.WaitForOrderAsync(client, Order, 1),
            o => o.GetProperty("identityKeys").GetArrayLength() == 0, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        Assert.Equal(403.00m, order.GetProperty("gross").GetDecimal());
        // An order that names no one has no identity keys (its order:<id> stand-in is not a person).
        Assert.Equal(0, order.GetProperty("identityKeys").GetArrayLength());
    }

    [SkippableFact]
    public async Task A_data_request_on_the_order_url_is_exported_for_the_secret_key_only()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        await SeedAsync(client);
        await CollectorClient.WaitForEventsAsync(client, 3);

        // One subscription URL for every topic: the order route hands compliance topics to the privacy route.
        using var response = await client.SendAsync(OrderRequests.Webhook("customers/data_request", OrderRequests.Fixture("customers-data-request.json"), "evt-dr"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("shopify-9999", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("exportId").GetString());

        using var withReadToken = await client.SendAsync(Get("/v1/privacy/exports/shopify-9999", CollectorFactory.ReadToken));
        Assert.Equal(HttpStatusCode.Unauthorized, withReadToken.StatusCode);
        using var export = await client.SendAsync(Get("/v1/privacy/exports/shopify-9999", CollectorFactory.SecretKey));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var json = JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement;
        var rows = json.GetProperty("rows").GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["conversion", "page"], rows.Select(r => r.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("someone-else", json.ToString(), StringComparison.Ordinal);
        Assert.Contains(json.GetProperty("identifiers").EnumerateArray(), i => i.GetProperty("value").GetString() == Visitor);

        // Nothing was erased by the request.
        Assert.Equal(3, (await CollectorClient.WaitForEventsAsync(client, 3)).Length);
    }

    [SkippableFact]
    public async Task Shop_redact_erases_every_row_of_the_workspace_and_another_shop_is_refused()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        await SeedAsync(client);
        await CollectorClient.WaitForEventsAsync(client, 3);
        var body = OrderRequests.Fixture("shop-redact.json");

        using var otherShop = await client.SendAsync(PrivacyWebhook("shop/redact", body, shop: "someone-else.myshopify.com"));
        Assert.Equal(HttpStatusCode.Forbidden, otherShop.StatusCode);
        using var response = await client.SendAsync(PrivacyWebhook("shop/redact", body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("eventsDeleted").GetInt32());

        Assert.Equal(0, await CollectorClient.WaitForStoredAsync(client, 0));
        var left = await CollectorClient.GetJsonAsync(client, "/v1/events?limit=1000");
        Assert.Equal(0, left.GetProperty("events").GetArrayLength());
    }

    [SkippableFact]
    public async Task A_signed_payload_that_names_no_one_is_400_naming_the_field()
    {
        await using var factory = await NewFactoryAsync();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes("""{"shop_id":954889,"shop_domain":"shop-example.myshopify.com","customer":{"id":"12x"}}""");

        using var response = await client.SendAsync(PrivacyWebhook("customers/redact", body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("customer.id", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    private static bool Names(JsonElement[] rows, string id) => rows.Any(r => r.ToString().Contains(id, StringComparison.Ordinal));

    /// <summary>The order (webhook, with the cart's _otq_id), a page of the same visitor, and a page of someone else.</summary>
    private static async Task SeedAsync(HttpClient client)
    {
        using var order = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("orders-create.json"), "evt-order"));
        Assert.Equal(HttpStatusCode.OK, order.StatusCode);
        var pages = Payloads.Batch(
            $$"""{"type":"page","messageId":"p-1","anonymousId":"{{Visitor}}","timestamp":"2026-11-23T11:59:58.000Z"}""",
            """{"type":"page","messageId":"p-2","anonymousId":"someone-else","timestamp":"2026-11-23T11:59:58.000Z"}""");
        using var batch = await client.PostAsync("/v1/batch", Payloads.Json(pages));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        await CollectorClient.WaitForStoredAsync(client, 3);
    }

    private static HttpRequestMessage PrivacyWebhook(string topic, byte[] body, string? signature = null, string shop = CollectorFactory.ShopDomain)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webhooks/shopify/shop/privacy") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? OrderRequests.Sign(body));
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-Webhook-Id", "wh-" + topic);
        return request;
    }

    internal static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}

/// <summary>The privacy webhooks on the embedded store.</summary>
public sealed class ShopifyPrivacyWebhookTests : ShopifyPrivacyWebhooks
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>The privacy webhooks on ClickHouse (a database of the test's own).</summary>
public sealed class ClickHouseShopifyPrivacyWebhookTests : ShopifyPrivacyWebhooks
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
