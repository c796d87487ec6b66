using System.Net;

namespace OmniTrackIQ.Collector.Tests.Orders;

/// <summary>
/// The order routes check the spool's limit as <c>/v1/batch</c> does: over it, 503 + Retry-After (problem+json) before the
/// body is read; Shopify and shop servers retry. An ingest-only node has no sink, so once full the spool stays full.
/// </summary>
public sealed class OrderSpoolFullTests
{
    [Fact]
    public async Task Over_the_spool_limit_S2S_and_Shopify_webhooks_answer_503_with_Retry_After()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["role"] = "ingest";
        factory.Settings["OmniTrack:Spool:MaxBytes"] = "1";
        using var client = factory.CreateClient();
        // The spool is empty, so the first report fits; from then on it is over its limit.
        using var first = await client.SendAsync(OrderRequests.Webhook("orders/paid", OrderRequests.Fixture("orders-paid.json"), "evt-1"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var webhook = await client.SendAsync(OrderRequests.Webhook("orders/create", OrderRequests.Fixture("order-pos.json"), "evt-2"));
        using var s2s = await client.SendAsync(OrderRequests.Conversions("""{"orderId":"s-1","timestamp":"2026-11-23T10:00:00Z","revenue":9}"""));
        foreach (var refused in new[] { webhook, s2s })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await CollectorClient.ProblemAsync(refused);
            Assert.Equal(("spool_full", "$"), (problem.GetProperty("reason").GetString(), problem.GetProperty("field").GetString()));
        }
    }
}
