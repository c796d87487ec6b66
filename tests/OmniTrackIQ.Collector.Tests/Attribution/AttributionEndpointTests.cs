using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Attribution;

/// <summary>
/// End to end: events through /v1/batch, POST /v1/attribution/run, then the summary per model. Each test
/// has its own collector (own DuckDB file) so other classes writing to workspace "shop" cannot change the numbers.
/// </summary>
public sealed class AttributionEndpointTests
{
    private const string PaidSearchPage = """{"type":"page","messageId":"p1","anonymousId":"anon-a","timestamp":"2026-11-20T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand"}}}""";
    private const string SocialPage = """{"type":"page","messageId":"p2","anonymousId":"anon-a","timestamp":"2026-11-22T10:00:00.000Z","context":{"page":{"url":"https://shop.example/shoes","referrer":"https://www.facebook.com/"}}}""";
    private const string Conversion = """{"type":"conversion","messageId":"c1","anonymousId":"anon-a","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"1001","revenue":100,"currency":"EUR"}}""";

    [Fact]
    public async Task Summary_gives_exact_credit_per_model_and_rerun_is_idempotent()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        await PostAndStoreAsync(client, 3, PaidSearchPage, SocialPage, Conversion);

        Assert.Equal(1, await RunAsync(client));
        await AssertExpectedNumbersAsync(client);

        Assert.Equal(1, await RunAsync(client));
        await AssertExpectedNumbersAsync(client);
    }

    [Fact]
    public async Task Group_by_source_and_compare_list_every_model()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        await PostAndStoreAsync(client, 3, PaidSearchPage, SocialPage, Conversion);
        await RunAsync(client);

        var bySource = await GetAsync(client, "/v1/attribution/summary?model=first&groupBy=campaign");
        Assert.Equal("campaign", bySource.GetProperty("groupBy").GetString());
        var row = Assert.Single(bySource.GetProperty("rows").EnumerateArray());
        Assert.Equal("brand", row.GetProperty("key").GetString());

        var compare = await GetAsync(client, "/v1/attribution/compare");
        var models = compare.GetProperty("models");
        foreach (var model in new[] { "first", "last", "last_non_direct", "linear", "time_decay", "position", "w_shaped", "markov", "shapley" })
        {
            var total = 0.0;
            foreach (var r in models.GetProperty(model).EnumerateArray()) { total += r.GetProperty("revenue").GetDouble(); }
            Assert.Equal(100, total, 6);
        }
    }

    [Fact]
    public async Task Conversion_without_touches_keeps_its_revenue_under_none_and_from_filters_it()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        const string Lonely = """{"type":"conversion","messageId":"c9","anonymousId":"anon-z","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"2002","revenue":40}}""";
        await PostAndStoreAsync(client, 1, Lonely);
        await RunAsync(client);

        var summary = await GetAsync(client, "/v1/attribution/summary?model=last");
        AssertRow(summary, "(none)", 1, 40);

        var future = await GetAsync(client, "/v1/attribution/summary?model=last&from=2100-01-01");
        Assert.Empty(future.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task Touches_of_another_cookie_count_when_a_user_id_links_them()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        const string OtherDevicePage = """{"type":"page","messageId":"p5","anonymousId":"anon-phone","userId":"u-7","timestamp":"2026-11-21T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc"}}}""";
        const string LaptopConversion = """{"type":"conversion","messageId":"c5","anonymousId":"anon-laptop","userId":"u-7","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"3003","revenue":10}}""";
        await PostAndStoreAsync(client, 2, OtherDevicePage, LaptopConversion);
        await RunAsync(client);

        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=linear"), "Paid Search", 1, 10);
    }

    [Fact]
    public async Task Top_paths_rank_converting_paths_and_the_data_driven_models_split_each_conversion()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        const string OtherPaidPage = """{"type":"page","messageId":"p7","anonymousId":"anon-b","timestamp":"2026-11-21T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand"}}}""";
        const string OtherConversion = """{"type":"conversion","messageId":"c7","anonymousId":"anon-b","timestamp":"2026-11-21T11:00:00.000Z","properties":{"orderId":"1002","revenue":50}}""";
        await PostAndStoreAsync(client, 5, PaidSearchPage, SocialPage, Conversion, OtherPaidPage, OtherConversion);
        Assert.Equal(2, await RunAsync(client));

        var paths = (await GetAsync(client, "/v1/attribution/paths?top=10")).GetProperty("paths");
        Assert.Equal(2, paths.GetArrayLength());
        Assert.Equal("Paid Search > Organic Social", paths[0].GetProperty("path").GetString());
        Assert.Equal(2, paths[0].GetProperty("touches").GetInt32());
        Assert.Equal(1, paths[0].GetProperty("conversions").GetInt64());
        Assert.Equal(100, paths[0].GetProperty("revenue").GetDouble());
        Assert.Equal("Paid Search", paths[1].GetProperty("path").GetString());
        Assert.Equal(1, (await GetAsync(client, "/v1/attribution/paths?top=1")).GetProperty("paths").GetArrayLength());
        Assert.Equal(0, (await GetAsync(client, "/v1/attribution/paths?to=2026-11-01")).GetProperty("paths").GetArrayLength());

        // Every path converts, so removing Organic Social loses only the conversion that needed it; Paid Search
        // is on both paths: its removal effect is 1, Organic Social's 1/2. Conversion 1001 splits 2:1.
        var markov = await GetAsync(client, "/v1/attribution/summary?model=markov");
        AssertRow(markov, "Paid Search", 1 + (2.0 / 3), 50 + (100 * 2.0 / 3));
        AssertRow(markov, "Organic Social", 1.0 / 3, 100.0 / 3);
        var shapley = await GetAsync(client, "/v1/attribution/summary?model=shapley");
        AssertRow(shapley, "Paid Search", 1 + (1.5 / 2), 50 + (100 * 1.5 / 2));
    }

    [Fact]
    public async Task Coverage_gives_the_matched_share_and_the_reason_for_each_miss()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        const string Lonely = """{"type":"conversion","messageId":"c9","anonymousId":"anon-z","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"2002","revenue":40}}""";
        await PostAndStoreAsync(client, 4, PaidSearchPage, SocialPage, Conversion, Lonely);
        await RunAsync(client);

        var coverage = await GetAsync(client, "/v1/attribution/coverage");
        Assert.Equal(2, coverage.GetProperty("conversions").GetInt64());
        Assert.Equal(1, coverage.GetProperty("matched").GetInt64());
        Assert.Equal(0.5, coverage.GetProperty("share").GetDouble());
        Assert.Equal(140, coverage.GetProperty("revenue").GetDouble());
        Assert.Equal(100, coverage.GetProperty("matchedRevenue").GetDouble());
        var miss = Assert.Single(coverage.GetProperty("misses").EnumerateArray());
        Assert.Equal("no_visit", miss.GetProperty("reason").GetString());
        Assert.Equal((1L, 40.0), (miss.GetProperty("conversions").GetInt64(), miss.GetProperty("revenue").GetDouble()));

        var none = await GetAsync(client, "/v1/attribution/coverage?from=2100-01-01");
        Assert.Equal((0L, 0.0), (none.GetProperty("conversions").GetInt64(), none.GetProperty("share").GetDouble()));
    }

    [Fact]
    public async Task Per_query_lookback_and_paid_first_are_computed_on_the_fly()
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        await PostAndStoreAsync(client, 3, PaidSearchPage, SocialPage, Conversion);
        await RunAsync(client);

        // The social visit is 25 h before the order, the paid one 3 days: 1 day keeps neither, 2 days only social.
        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=first&lookbackDays=1"), "(none)", 1, 100);
        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=first&lookbackDays=2"), "Organic Social", 1, 100);
        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=first&lookbackDays=any"), "Paid Search", 1, 100);
        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=last&paidFirst=true"), "Paid Search", 1, 100);
        AssertRow(await GetAsync(client, "/v1/attribution/summary?model=markov&paidFirst=true"), "Paid Search", 1, 100);
        var compare = (await GetAsync(client, "/v1/attribution/compare?lookbackDays=2")).GetProperty("models");
        foreach (var model in compare.EnumerateObject())
        {
            var row = Assert.Single(model.Value.EnumerateArray());
            Assert.Equal("Organic Social", row.GetProperty("key").GetString());
            Assert.Equal(100, row.GetProperty("revenue").GetDouble(), 6);
        }

        // The stored results are untouched by the on-the-fly queries.
        await AssertExpectedNumbersAsync(client);
    }

    [Theory]
    [InlineData("/v1/attribution/summary?lookbackDays=0", "lookbackDays")]
    [InlineData("/v1/attribution/summary?lookbackDays=3651", "lookbackDays")]
    [InlineData("/v1/attribution/compare?lookbackDays=week", "lookbackDays")]
    [InlineData("/v1/attribution/summary?paidFirst=maybe", "paidFirst")]
    [InlineData("/v1/attribution/paths?top=0", "top")]
    [InlineData("/v1/attribution/paths?top=lots", "top")]
    [InlineData("/v1/attribution/paths?top=1001", "top")]
    [InlineData("/v1/attribution/paths?from=soon", "from")]
    [InlineData("/v1/attribution/coverage?to=later", "to")]
    [InlineData("/v1/attribution/summary?model=magic", "model")]
    [InlineData("/v1/attribution/summary?model=linear&groupBy=country", "groupBy")]
    [InlineData("/v1/attribution/summary?from=yesterday-ish", "from")]
    [InlineData("/v1/attribution/compare?groupBy=nope", "groupBy")]
    public async Task Bad_parameters_are_400_naming_the_field(string url, string field)
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/attribution/summary")]
    [InlineData("GET", "/v1/attribution/compare")]
    [InlineData("GET", "/v1/attribution/paths")]
    [InlineData("GET", "/v1/attribution/coverage")]
    [InlineData("POST", "/v1/attribution/run")]
    public async Task Without_a_read_token_it_is_401(string method, string url)
    {
        await using var factory = NewFactory();
        using var client = NewClient(factory);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static CollectorFactory NewFactory()
    {
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0"; // only the explicit run endpoint computes
        return factory;
    }

    /// <summary>A browser user agent: page views without one are flagged as bots and are no touches.</summary>
    private static HttpClient NewClient(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        return client;
    }

    private static async Task AssertExpectedNumbersAsync(HttpClient client)
    {
        var first = await GetAsync(client, "/v1/attribution/summary?model=first&groupBy=channel");
        Assert.Equal("first", first.GetProperty("model").GetString());
        Assert.Single(first.GetProperty("rows").EnumerateArray());
        AssertRow(first, "Paid Search", 1, 100);

        var last = await GetAsync(client, "/v1/attribution/summary?model=last");
        Assert.Single(last.GetProperty("rows").EnumerateArray());
        AssertRow(last, "Organic Social", 1, 100);

        var linear = await GetAsync(client, "/v1/attribution/summary?model=linear");
        Assert.Equal(2, linear.GetProperty("rows").GetArrayLength());
        AssertRow(linear, "Paid Search", 0.5, 50);
        AssertRow(linear, "Organic Social", 0.5, 50);
    }

    private static void AssertRow(JsonElement summary, string key, double conversions, double revenue)
    {
        foreach (var row in summary.GetProperty("rows").EnumerateArray())
        {
            if (row.GetProperty("key").GetString() != key) { continue; }
            Assert.Equal(conversions, row.GetProperty("conversions").GetDouble(), 6);
            Assert.Equal(revenue, row.GetProperty("revenue").GetDouble(), 4);
            return;
        }

        Assert.Fail($"no row '{key}' in {summary}");
    }

    private static async Task PostAndStoreAsync(HttpClient client, long expected, params string[] events)
    {
        using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(events)));
        Assert.True(response.IsSuccessStatusCode, $"batch refused: {(int)response.StatusCode}");
        Assert.Equal(expected, await CollectorClient.WaitForStoredAsync(client, expected));
    }

    private static async Task<int> RunAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("conversions").GetInt32();
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }
}
