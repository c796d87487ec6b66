using System.Net;
using System.Text;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>Shopify order webhooks, from Shopify's documented example payloads (tes../OmniTrackIQ.Ingest.Tests/Orders/Fixtures/README.md).</summary>
public sealed class ShopifyWebhookTests
{
    [Fact]
    public async Task A_signed_orders_create_is_one_order_from_the_webhook_with_its_money_and_buyer()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("orders-create.json"), "evt-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var order = await OrderRequests.WaitForOrderAsync(client, "820982911946154508", 1);
        Assert.Equal(["shopify"], order.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(("EUR", 403.00m, "pending"), (order.GetProperty("currency").GetString(), order.GetProperty("gross").GetDecimal(), order.GetProperty("status").GetString()));
        Assert.Contains("a:a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", order.GetProperty("identityKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("u:115310627314723954", order.GetProperty("identityKeys").EnumerateArray().Select(k => k.GetString()));
        var conversion = Assert.Single(await CollectorClient.WaitForEventsAsync(client, 1), e => e.GetProperty("type").GetString() == "conversion");
        Assert.Equal(("newsletter", "email", "gclid"), (conversion.GetProperty("utmSource").GetString(), conversion.GetProperty("utmMedium").GetString(), conversion.GetProperty("clickIdType").GetString()));
        Assert.DoesNotContain("jon@doe.ca", conversion.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(64, conversion.GetProperty("emailSha256").GetString()!.Length);
    }

    [Fact]
    public async Task A_tampered_body_or_signature_is_401_and_nothing_is_stored()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = OrderRequests.Fixture("orders-paid.json");
        var signature = OrderRequests.Sign(body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("598.94", "5.98", StringComparison.Ordinal));

        using var badBody = await client.SendAsync(OrderRequests.Webhook("orders/paid", tampered, "evt-t1", signature));
        using var badSignature = await client.SendAsync(OrderRequests.Webhook("orders/paid", body, "evt-t2", OrderRequests.Sign(body, "not-the-secret")));
        using var noSignature = await client.SendAsync(OrderRequests.Webhook("orders/paid", body, "evt-t3", ""));
        using var otherShop = await client.SendAsync(OrderRequests.Webhook("orders/paid", body, "evt-t4", shop: "someone-else.myshopify.com"));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden),
            (badBody.StatusCode, badSignature.StatusCode, noSignature.StatusCode, otherShop.StatusCode));
        Assert.Equal("X-Shopify-Hmac-Sha256", (await CollectorClient.ProblemAsync(badBody)).GetProperty("field").GetString());
        using var good = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("order-pos.json"), "evt-ok"));
        var stored = await CollectorClient.WaitForEventsAsync(client, 1);
        Assert.DoesNotContain(stored, e => e.GetProperty("orderId").GetString() == "450789469");
    }

    [Fact]
    public async Task The_same_delivery_twice_is_one_report()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = OrderRequests.Fixture("orders-paid.json");
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.SendAsync(OrderRequests.Webhook("orders/paid", body, "evt-same"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var marker = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("order-pos.json"), "evt-marker"));
        await OrderRequests.WaitForOrderAsync(client, "5940139491234", 1);
        var order = await OrderRequests.WaitForOrderAsync(client, "450789469", 1);
        Assert.Single(order.GetProperty("reports").EnumerateArray());
    }

    [Fact]
    public async Task A_retry_under_a_taken_webhook_id_is_not_stored_again_even_in_other_bytes_but_those_bytes_under_a_new_id_are()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = OrderRequests.Fixture("orders-paid.json");
        var reserialised = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"note\": null", "\"note\": \"\"", StringComparison.Ordinal));
        Assert.NotEqual(body, reserialised);

        // OrderRequests sends X-Shopify-Webhook-Id "wh-" + the event id: the second delivery is a retry of the first.
        await SendPaidAsync(client, body, "evt-a");
        await SendPaidAsync(client, reserialised, "evt-a");
        using (var marker = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("order-pos.json"), "evt-marker-1")))
        {
            await OrderRequests.WaitForOrderAsync(client, "5940139491234", 1);
        }

        Assert.Equal(1, (await OrderRequests.WaitForOrderAsync(client, "450789469", 1)).GetProperty("reports").GetArrayLength());

        await SendPaidAsync(client, reserialised, "evt-b");
        using (var marker = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("orders-create.json"), "evt-marker-2")))
        {
            await OrderRequests.WaitForOrderAsync(client, "820982911946154508", 1);
        }

        Assert.Equal(2, (await OrderRequests.WaitForOrderAsync(client, "450789469", 2)).GetProperty("reports").GetArrayLength());
    }

    private static async Task SendPaidAsync(HttpClient client, byte[] body, string eventId)
    {
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/paid", body, eventId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_order_id_above_two_to_the_53_is_kept_exactly()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/updated", OrderRequests.Fixture("order-big-id.json"), "evt-big"));

        var order = await OrderRequests.WaitForOrderAsync(client, "9007199254740993", 1);
        Assert.Equal("9007199254740993", order.GetProperty("orderId").GetString());
        Assert.Contains("u:9007199254740995", order.GetProperty("identityKeys").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task A_signed_payload_that_cannot_be_mapped_is_200_and_kept_in_bad_events()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = Encoding.UTF8.GetBytes("""{"id":"not-a-number","email":"who@example.com"}""");
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/create", body, "evt-bad"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bad = Assert.Single(await CollectorClient.WaitForBadEventsAsync(client, 1));
        Assert.StartsWith("unmappable_webhook: orders/create", bad.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("who@example.com", bad.GetProperty("payload").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        var body = new byte[1024 * 1024 + 1];
        using var response = await client.SendAsync(OrderRequests.Webhook("orders/create", body, "evt-huge"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task No_table_holds_a_buyers_clear_e_mail_or_phone_after_webhooks_and_s2s_orders()
    {
        var data = Path.Combine(Path.GetTempPath(), "otq-orders-pii-" + Guid.NewGuid().ToString("N"));
        await using (var factory = new CollectorFactory())
        {
            factory.Settings["OmniTrack:DataDirectory"] = data;
            factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
            using var client = factory.CreateClient();
            await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("orders-create.json"), "evt-a"));
            await client.SendAsync(OrderRequests.Webhook("orders/paid", OrderRequests.Fixture("orders-paid.json"), "evt-b"));
            await client.SendAsync(OrderRequests.Conversions("""{"orderId":"s-9","timestamp":"2026-11-23T10:00:00Z","revenue":9,"email":"Ann@Example.com","phone":"+44 20 7946 0958"}"""));
            await OrderRequests.WaitForOrderAsync(client, "s-9", 1);
            await OrderRequests.WaitForOrderAsync(client, "450789469", 1);
            await OrderRequests.RunAttributionAsync(client);
        }

        using (var connection = new DuckDB.NET.Data.DuckDBConnection($"Data Source={Path.Combine(data, "omnitrack.duckdb")}"))
        {
            connection.Open();
            foreach (var table in TableScan.Tables(connection))
            {
                Assert.True(TableScan.RowsMatching(connection, table, "jon@doe\\.ca|bob\\.norman@|ann@example|7946.?0958|555-555-(bill|ship)") == 0, $"clear-text PII in table {table}");
            }

            Assert.True(TableScan.RowsMatching(connection, "events", "820982911946154508") > 0); // the scan sees the stored orders
        }

        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
