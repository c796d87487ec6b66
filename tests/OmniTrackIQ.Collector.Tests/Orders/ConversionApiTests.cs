using System.Net;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary><c>POST /v1/conversions</c>: orders from the shop's server.</summary>
public sealed class ConversionApiTests
{
    private const string Order = """{"orderId":"s-1","timestamp":"2026-11-23T10:00:00Z","revenue":80,"currency":"eur","userId":"cust-1","email":"Ann@Example.com","phone":"+44 20 7946 0958","clickIds":{"gclid":"G-1"},"lineItems":[{"sku":"A","quantity":2,"price":40}]}""";

    [Fact]
    public async Task Without_the_secret_key_it_is_401_and_a_write_key_is_not_one()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var none = await client.SendAsync(OrderRequests.Conversions(Order, key: ""));
        using var writeKey = await client.SendAsync(OrderRequests.Conversions(Order, key: CollectorFactory.WriteKey));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, writeKey.StatusCode));
    }

    [Fact]
    public async Task An_order_is_stored_with_its_buyer_hashed_and_a_retry_stores_nothing_new()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.SendAsync(OrderRequests.Conversions(Order));
            Assert.Equal("""{"accepted":1,"rejected":[]}""", await response.Content.ReadAsStringAsync());
        }

        var order = await OrderRequests.WaitForOrderAsync(client, "s-1", 1);
        Assert.Single(order.GetProperty("reports").EnumerateArray());
        Assert.Equal((80m, "EUR", "paid"), (order.GetProperty("gross").GetDecimal(), order.GetProperty("currency").GetString(), order.GetProperty("status").GetString()));
        var keys = order.GetProperty("identityKeys").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Contains("u:cust-1", keys);
        Assert.Contains(keys, k => k!.StartsWith("e:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k!.StartsWith("p:", StringComparison.Ordinal));
        var rows = await CollectorClient.WaitForEventsAsync(client, 2); // the order and its landing view (the click id gives it a source)
        Assert.All(rows, r => Assert.DoesNotContain("ann@example.com", r.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Paid Search", rows.Single(r => r.GetProperty("type").GetString() == "page").GetProperty("channel").GetString());
    }

    [Fact]
    public async Task A_changed_total_is_an_update_of_the_same_order_with_its_history_kept()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var first = await client.SendAsync(OrderRequests.Conversions(Order));
        using var second = await client.SendAsync(OrderRequests.Conversions(Order.Replace("\"revenue\":80", "\"revenue\":95", StringComparison.Ordinal)));

        var order = await OrderRequests.WaitForOrderAsync(client, "s-1", 2);
        Assert.Equal([80m, 95m], order.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("gross").GetDecimal()));
        Assert.Equal(95m, order.GetProperty("gross").GetDecimal());
    }

    [Fact]
    public async Task A_batch_accepts_each_order_on_its_own()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(OrderRequests.Conversions($$"""{"orders":[{{Order}},{"orderId":"s-2","revenue":5},{"orderId":"s-3","timestamp":"2026-11-23T10:00:00Z","revenue":"12.5","status":"refunded","refunds":[{"amount":12.5}]}]}"""));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((1, "orders[1].timestamp"), (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString()));
        var refunded = await OrderRequests.WaitForOrderAsync(client, "s-3", 1);
        Assert.Equal(("refunded", 0m), (refunded.GetProperty("status").GetString(), refunded.GetProperty("net").GetDecimal()));
    }

    [Fact]
    public async Task An_older_updatedAt_does_not_undo_a_newer_report_and_one_too_far_ahead_counts_at_its_arrival_flagged()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        // Sent newest first: the cancellation's state is an hour newer than the payment's that follows it.
        await AcceptedAsync(client, """{"orderId":"u-1","timestamp":"2026-11-23T09:00:00Z","updatedAt":"2026-11-23T11:00:00Z","revenue":30,"status":"cancelled"}""");
        await AcceptedAsync(client, """{"orderId":"u-1","timestamp":"2026-11-23T09:00:00Z","updatedAt":"2026-11-23T10:00:00Z","revenue":30,"status":"paid"}""");
        // Ten days ahead of the server is not believed: the report ranks by its arrival, before the one sent after it.
        var tenDaysAhead = TestClock.Now.UtcDateTime.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await AcceptedAsync(client, $$"""{"orderId":"u-2","timestamp":"2026-11-23T09:00:00Z","updatedAt":"{{tenDaysAhead}}","revenue":40,"status":"paid"}""");
        await AcceptedAsync(client, """{"orderId":"u-2","timestamp":"2026-11-23T09:00:00Z","revenue":41,"status":"pending"}""");

        var u1 = await OrderRequests.WaitForOrderAsync(client, "u-1", 2);
        Assert.Equal(("cancelled", 0m), (u1.GetProperty("status").GetString(), u1.GetProperty("net").GetDecimal()));
        var u2 = await OrderRequests.WaitForOrderAsync(client, "u-2", 2);
        Assert.Equal(("pending", 41m), (u2.GetProperty("status").GetString(), u2.GetProperty("gross").GetDecimal()));
        Assert.All(u2.GetProperty("reports").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("updatedAt").ValueKind));
        var flagged = (await CollectorClient.WaitForEventsAsync(client, 4)).Single(e => e.GetProperty("orderId").GetString() == "u-2" && e.GetProperty("revenue").GetDecimal() == 40m);
        Assert.Equal("dropped:updatedAt", flagged.GetProperty("flags").GetString());
    }

    [Fact]
    public async Task An_updatedAt_that_is_not_an_ISO_time_rejects_its_order_by_name()
    {
        await using var factory = new CollectorFactory();
        using var client = factory.CreateClient();
        using var response = await client.SendAsync(OrderRequests.Conversions("""[{"orderId":"u-3","timestamp":"2026-11-23T09:00:00Z","updatedAt":1700000000}]"""));

        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal((0, "orders[0].updatedAt", "invalid_field"), (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("reason").GetString()));
    }

    private static async Task AcceptedAsync(HttpClient client, string order)
    {
        using var response = await client.SendAsync(OrderRequests.Conversions(order));
        Assert.Equal("""{"accepted":1,"rejected":[]}""", await response.Content.ReadAsStringAsync());
    }
}
