using System.Net.Http.Headers;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Attribution;

/// <summary>Which page views become touches (visits, lookback, bots) and the periodic worker.</summary>
public sealed class AttributionPathTests
{
    private const string BrowserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    [Fact]
    public async Task Pages_of_one_visit_are_one_touch_and_old_or_bot_pages_are_none()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        using var browser = Client(factory, BrowserAgent);
        using var bot = Client(factory, "curl/8.5.0");

        await PostAsync(browser,
            Page("q1", "2026-10-10T10:00:00.000Z", """{"url":"https://shop.example/?utm_source=newsletter&utm_medium=email"}"""), // 44 days before: outside 30-day lookback
            Page("q2", "2026-11-22T10:00:00.000Z", """{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}"""),
            Page("q3", "2026-11-22T10:05:00.000Z", """{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}"""), // same visit
            Page("q4", "2026-11-22T12:00:00.000Z", """{"url":"https://shop.example/","referrer":"https://www.facebook.com/"}"""),
            """{"type":"conversion","messageId":"qc","anonymousId":"anon-q","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"4004","revenue":80}}""");
        await PostAsync(bot, Page("q5", "2026-11-22T13:00:00.000Z", """{"url":"https://shop.example/","referrer":"https://t.co/"}"""));
        Assert.Equal(6, await CollectorClient.WaitForStoredAsync(browser, 6));

        using (var run = Authorized(HttpMethod.Post, "/v1/attribution/run"))
        using (var response = await browser.SendAsync(run)) { response.EnsureSuccessStatusCode(); }

        var rows = (await SummaryAsync(browser, "linear")).GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            Assert.Contains(row.GetProperty("key").GetString(), new[] { "Paid Search", "Organic Social" });
            Assert.Equal(0.5, row.GetProperty("conversions").GetDouble(), 6);
            Assert.Equal(40, row.GetProperty("revenue").GetDouble(), 4);
        }
    }

    [Fact]
    public async Task The_worker_computes_without_an_explicit_run()
    {
        await using var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "1";
        using var browser = Client(factory, BrowserAgent);
        await PostAsync(browser,
            Page("w1", "2026-11-22T10:00:00.000Z", """{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}"""),
            """{"type":"conversion","messageId":"wc","anonymousId":"anon-q","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"5005","revenue":25}}""");
        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(browser, 2));

        // Bounded poll (the worker ticks every second); the assertion is on the result, not on timing.
        var rows = await Poll.UntilAsync(async () => (await SummaryAsync(browser, "last")).GetProperty("rows"), found => found.GetArrayLength() > 0,
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal("Paid Search", row.GetProperty("key").GetString());
        Assert.Equal(25, row.GetProperty("revenue").GetDouble(), 4);
    }

    private static string Page(string id, string timestamp, string page) =>
        $$$"""{"type":"page","messageId":"{{{id}}}","anonymousId":"anon-q","timestamp":"{{{timestamp}}}","context":{"page":{{{page}}}}}""";

    private static HttpClient Client(CollectorFactory factory, string userAgent)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return client;
    }

    private static async Task PostAsync(HttpClient client, params string[] events)
    {
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(events)));
        Assert.True(response.IsSuccessStatusCode, $"batch refused: {(int)response.StatusCode}");
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        return request;
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient client, string model)
    {
        using var request = Authorized(HttpMethod.Get, "/v1/attribution/summary?model=" + model);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }
}
