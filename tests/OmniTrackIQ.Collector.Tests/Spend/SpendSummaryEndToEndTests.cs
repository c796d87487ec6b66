using System.Net;
using System.Net.Http.Headers;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Collector.Tests.Spend;

/// <summary>Events, an attribution run and spend through the API; the summary's spend, ROAS and CPA are exact (on each store: see the subclasses).</summary>
public abstract class SpendSummaryEndToEnd : ClickHouse.StoreChoice
{
    private const string BrowserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string PaidSearchPage = """{"type":"page","messageId":"p1","anonymousId":"anon-a","timestamp":"2026-11-20T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand"}}}""";
    private const string SocialPage = """{"type":"page","messageId":"p2","anonymousId":"anon-a","timestamp":"2026-11-22T10:00:00.000Z","context":{"page":{"url":"https://shop.example/shoes","referrer":"https://www.facebook.com/"}}}""";
    private const string Conversion = """{"type":"conversion","messageId":"c1","anonymousId":"anon-a","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"1001","revenue":100,"currency":"EUR"}}""";
    private const string Spend = """
        {"rows":[
          {"date":"2026-11-20","platform":"google","campaign":"brand","spend":25,"currency":"EUR"},
          {"date":"2026-11-21","platform":"google","campaign":"brand","spend":15,"currency":"EUR"},
          {"date":"2026-11-21","platform":"meta","campaign":"retarget","spend":10,"currency":"EUR"},
          {"date":"2026-10-01","platform":"google","campaign":"brand","spend":500,"currency":"EUR"}]}
        """;

    [SkippableFact]
    public async Task Summary_by_campaign_gives_spend_roas_and_cpa_per_model()
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserAgent);
        using (var batch = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(PaidSearchPage, SocialPage, Conversion))))
        {
            Assert.True(batch.IsSuccessStatusCode, $"batch refused: {(int)batch.StatusCode}");
        }

        Assert.Equal(3, await CollectorClient.WaitForStoredAsync(client, 3));
        using (var run = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run"))
        {
            run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
            using var response = await client.SendAsync(run);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var spend = await SpendClient.PostAsync(client, Spend, "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, spend.StatusCode);
        }

        // November only: the October day of brand spend is outside [from, to).
        const string November = "from=2026-11-01&to=2026-12-01";
        var linear = await SpendClient.SummaryAsync(client, "model=linear&groupBy=campaign&" + November);
        Assert.Equal(3, linear.GetProperty("rows").GetArrayLength());
        SpendClient.AssertRow(linear, "brand", conversions: 0.5, revenue: 50, spend: 40, roas: 1.25, cpa: 80);
        SpendClient.AssertRow(linear, "(none)", conversions: 0.5, revenue: 50, spend: null, roas: null, cpa: null);
        SpendClient.AssertRow(linear, "retarget", conversions: 0, revenue: 0, spend: 10, roas: 0, cpa: null);

        var first = await SpendClient.SummaryAsync(client, "model=first&groupBy=campaign&" + November);
        SpendClient.AssertRow(first, "brand", conversions: 1, revenue: 100, spend: 40, roas: 2.5, cpa: 40);

        var allTime = await SpendClient.SummaryAsync(client, "model=first&groupBy=channel");
        SpendClient.AssertRow(allTime, "Paid Search", conversions: 1, revenue: 100, spend: 540, roas: 0.1852, cpa: 540);
        SpendClient.AssertRow(allTime, "Paid Social", conversions: 0, revenue: 0, spend: 10, roas: 0, cpa: null);
    }
}

/// <summary>On the embedded store.</summary>
public sealed class SpendSummaryEndToEndTests : SpendSummaryEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);

    [Fact]
    public void Spend_channels_are_the_names_the_channel_classifier_writes_to_events()
    {
        Assert.Equal(ChannelGroups.PaidSearch, SpendPlatforms.PaidSearch);
        Assert.Equal(ChannelGroups.PaidSocial, SpendPlatforms.PaidSocial);
        Assert.Equal(ChannelGroups.PaidVideo, SpendPlatforms.PaidVideo);
        Assert.Equal(ChannelGroups.PaidOther, SpendPlatforms.PaidOther);
    }
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseSpendSummaryEndToEndTests : SpendSummaryEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
