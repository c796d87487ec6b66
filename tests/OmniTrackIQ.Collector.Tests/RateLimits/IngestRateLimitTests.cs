using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.RateLimits;

/// <summary>
/// One workspace flooding the event routes is refused with 429; the others are not touched. The limiter runs on a
/// stopped clock, so no refill can happen between two requests however slow the machine is.
/// </summary>
public sealed class IngestRateLimitTests
{
    private const string OtherWithConsent = """{"type":"page","messageId":"o1","anonymousId":"a","context":{"consent":{"analytics":true}}}""";

    [Fact]
    public async Task A_flooding_workspace_gets_429_with_retry_after_while_another_is_accepted()
    {
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Workspaces:0:EventsPerSecond"] = "1"; // a bucket of 2 events
        await using var factory = StoppedLimiterClock.Apply(collector);
        using var client = factory.CreateClient();

        using var first = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("f1"), Payloads.Event("f2"))));
        using var flood = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("f3"), Payloads.Event("f4"))));
        using var other = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey("wk_other", OtherWithConsent)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.True(int.Parse(flood.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("rate_limited", (await CollectorClient.ProblemAsync(flood)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(client, 2));
        Assert.Equal(1, await CollectorClient.WaitForStoredAsync(client, 1, CollectorFactory.OtherReadToken));
    }

    [Fact]
    public async Task A_pixel_over_the_limit_still_gets_its_gif_and_is_counted_not_stored()
    {
        await using var collector = new CollectorFactory();
        collector.Settings["OmniTrack:Workspaces:0:EventsPerSecond"] = "1";
        await using var factory = StoppedLimiterClock.Apply(collector);
        using var client = factory.CreateClient();
        using var fill = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Payloads.Event("p1"), Payloads.Event("p2"))));

        using var gif = await client.GetAsync($"/p.gif?wk={CollectorFactory.WriteKey}&mid=px-over&aid=a");
        Assert.Equal((HttpStatusCode.OK, "image/gif"), (gif.StatusCode, gif.Content.Headers.ContentType?.MediaType));
        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(client, 2));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("otq_rate_limited_total{workspace=\"shop\"} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(0, (await CollectorClient.GetJsonAsync(client, "/v1/events/bad")).GetProperty("badEvents").GetArrayLength());
    }
}
