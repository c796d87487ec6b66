namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>Checkout coverage over the orders the shop reported: each unmatched order gets a reason a merchant can act on.</summary>
public sealed class OrderCoverageTests
{
    [Fact]
    public async Task Unmatched_shop_orders_say_why_no_visit_explains_them()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Ingest.SegmentRequests.BrowserUserAgent);
        // pos: a till sale; no-id: a web order whose cart carried no _otq_id; unseen: an _otq_id no page view carried;
        await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("order-pos.json"), "evt-pos"));
        await client.SendAsync(OrderRequests.Conversions("""
            {"orders":[{"orderId":"no-id","timestamp":"2026-11-23T10:00:00Z","revenue":10,"userId":"cust-9"},
                       {"orderId":"unseen","timestamp":"2026-11-23T10:00:00Z","revenue":20,"anonymousId":"anon-never-seen"},
                       {"orderId":"matched","timestamp":"2026-11-23T10:00:00Z","revenue":30,"anonymousId":"anon-seen"}]}
            """));
        await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch("""{"type":"page","messageId":"seen-1","anonymousId":"anon-seen","timestamp":"2026-11-23T09:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}}}""")));
        await CollectorClient.WaitForStoredAsync(client, 5); // pos order, three S2S orders, one page view
        await OrderRequests.RunAttributionAsync(client);

        var coverage = await CollectorClient.GetJsonAsync(client, "/v1/attribution/coverage");
        Assert.Equal((4L, 1L, 4L), (coverage.GetProperty("conversions").GetInt64(), coverage.GetProperty("matched").GetInt64(), coverage.GetProperty("shopReported").GetInt64()));
        var reasons = coverage.GetProperty("misses").EnumerateArray().ToDictionary(m => m.GetProperty("reason").GetString()!, m => m.GetProperty("conversions").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["non_web"] = 1, ["no_otq_id"] = 1, ["id_unseen"] = 1 }, reasons);
    }

    [Fact]
    public async Task An_order_whose_visits_were_refused_for_missing_consent_says_so()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        factory.Settings["OmniTrack:Workspaces:0:RequireAnalyticsConsent"] = "true";
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Ingest.SegmentRequests.BrowserUserAgent);
        using var refused = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch("""{"type":"page","messageId":"nc-1","anonymousId":"anon-no-consent","context":{"page":{"url":"https://shop.example/"}}}""")));
        await client.SendAsync(OrderRequests.Conversions("""{"orderId":"c-1","timestamp":"2026-11-23T10:00:00Z","revenue":15,"anonymousId":"anon-no-consent"}"""));
        await CollectorClient.WaitForStoredAsync(client, 1);
        await CollectorClient.WaitForBadEventsAsync(client, 1);
        await OrderRequests.RunAttributionAsync(client);

        var coverage = await CollectorClient.GetJsonAsync(client, "/v1/attribution/coverage");
        Assert.Equal("consent_missing", Assert.Single(coverage.GetProperty("misses").EnumerateArray()).GetProperty("reason").GetString());
    }
}
