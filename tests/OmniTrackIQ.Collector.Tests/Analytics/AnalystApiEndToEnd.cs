using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OmniTrackIQ.Collector.Tests.Spend;

namespace OmniTrackIQ.Collector.Tests.Analytics;

/// <summary>
/// The analyst routes through the real host on each store (subclasses): orders by pixel and S2S, an attribution run,
/// Google Ads and Meta spend as the platforms export it, then the summary, the daily series and the order pages, as
/// JSON and as CSV. The figures are worked out by hand in the comments.
/// </summary>
public abstract class AnalystApiEndToEnd : ClickHouse.StoreChoice
{
    private const string BrowserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    // ann: a Google ad (utm_campaign = the campaign id) before both her orders; bob: a visit from Facebook (Organic Social), one order.
    private static readonly string[] s_events =
    [
        """{"type":"page","messageId":"p1","anonymousId":"ann","timestamp":"2026-11-10T09:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=201"}}}""",
        """{"type":"conversion","messageId":"c1","anonymousId":"ann","timestamp":"2026-11-10T12:00:00.000Z","properties":{"orderId":"1001","revenue":100,"currency":"EUR"}}""",
        """{"type":"page","messageId":"p2","anonymousId":"ann","timestamp":"2026-11-20T09:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=201"}}}""",
        """{"type":"conversion","messageId":"c2","anonymousId":"ann","timestamp":"2026-11-21T10:00:00.000Z","properties":{"orderId":"1002","revenue":60,"currency":"EUR"}}""",
        """{"type":"page","messageId":"p3","anonymousId":"bob","timestamp":"2026-11-21T08:00:00.000Z","context":{"page":{"url":"https://shop.example/shoes","referrer":"https://www.facebook.com/"}}}""",
        """{"type":"conversion","messageId":"c3","anonymousId":"bob","timestamp":"2026-11-22T10:00:00.000Z","properties":{"orderId":"=1003","revenue":40,"currency":"EUR"}}""",
    ];

    private const string GoogleStream = """
        [{"results":[
          {"customer":{"currencyCode":"EUR"},"campaign":{"id":"201","name":"Brand"},"metrics":{"costMicros":"20000000"},"segments":{"date":"2026-11-12"}},
          {"customer":{"currencyCode":"EUR"},"campaign":{"id":"201","name":"Brand"},"metrics":{"costMicros":"25000000"},"segments":{"date":"2026-11-20"}},
          {"customer":{"currencyCode":"EUR"},"campaign":{"id":"201","name":"Brand"},"metrics":{"costMicros":"15000000"},"segments":{"date":"2026-11-21"}}]}]
        """;

    private const string MetaPage = """
        {"data":[{"campaign_id":"238","campaign_name":"Retargeting","spend":"10","account_currency":"EUR","date_start":"2026-11-21","date_stop":"2026-11-21"}],
         "paging":{"cursors":{"before":"MAZDZD","after":"MAZDZD"}}}
        """;

    private const string Week = "from=2026-11-17&to=2026-11-24";

    [SkippableFact]
    public async Task Summary_daily_and_orders_agree_with_the_figures_worked_out_by_hand()
    {
        await using var factory = await NewFactoryAsync(f =>
        {
            SpendClient.OnlyExplicitRuns(f);
            f.Settings["OmniTrack:Workspaces:0:Currency"] = "EUR";
        });
        using var client = await ShopAsync(factory);

        // Current week: orders 1002 (60, ann returning) and =1003 (40, bob new); spend 25 + 15 + 10.
        // Previous week (11-10 to 11-17): order 1001 (100, ann new); spend 20.
        var summary = await GetJsonAsync(client, "/v1/metrics/summary?model=linear&" + Week);
        Assert.Equal("""{"netRevenue":100,"orders":2,"aov":50,"spend":50,"roas":2,"cpa":25,"profitAfterAdSpend":50,"newCustomers":1,"returningCustomers":1,"ordersWithoutCustomer":0,"attributedRevenue":100}""",
            summary.GetProperty("current").GetRawText());
        Assert.Equal("""{"netRevenue":100,"orders":1,"aov":100,"spend":20,"roas":5,"cpa":20,"profitAfterAdSpend":80,"newCustomers":1,"returningCustomers":0,"ordersWithoutCustomer":0,"attributedRevenue":100}""",
            summary.GetProperty("previous").GetRawText());
        Assert.Equal("""{"netRevenue":0,"orders":1,"aov":-0.5,"spend":1.5,"roas":-0.6,"cpa":0.25,"profitAfterAdSpend":-0.375,"newCustomers":0,"returningCustomers":null,"attributedRevenue":0}""",
            summary.GetProperty("change").GetRawText());
        Assert.Equal(("2026-11-10T00:00:00Z", "2026-11-17T00:00:00Z"), (summary.GetProperty("previousFrom").GetString(), summary.GetProperty("previousTo").GetString()));

        // Per day by campaign: ann's Google clicks carry the campaign id, so Brand's spend joins them under "201".
        var daily = await GetJsonAsync(client, "/v1/metrics/daily?model=linear&groupBy=campaign&" + Week);
        Assert.Equal(7, daily.GetProperty("days").GetArrayLength());
        Assert.Equal("""{"date":"2026-11-21","revenue":60,"spend":25}""", daily.GetProperty("days")[4].GetRawText());
        Assert.Equal(
        [
            "2026-11-20|201|0|0|25", "2026-11-21|201|1|60|15", "2026-11-21|Retargeting|0|0|10", "2026-11-22|(none)|1|40|",
        ], daily.GetProperty("rows").EnumerateArray().Select(r =>
            $"{r.GetProperty("date").GetString()}|{r.GetProperty("key").GetString()}|{r.GetProperty("conversions").GetDouble()}|{r.GetProperty("revenue").GetDouble()}|{Nullable(r.GetProperty("spend"))}"));

        var csv = await GetTextAsync(client, "/v1/metrics/daily?model=linear&groupBy=campaign&key=201&format=csv&" + Week);
        Assert.Equal("date,key,conversions,revenue,spend,roas\r\n2026-11-20,201,0,0,25,0\r\n2026-11-21,201,1,60,15,4\r\n", csv);

        var orders = await GetJsonAsync(client, "/v1/orders?" + Week);
        Assert.Equal(JsonValueKind.Null, orders.GetProperty("nextCursor").ValueKind);
        // Times are the clients' plus the skew correction of the test clock's run, so only their day is fixed.
        Assert.Equal(
            """[{"orderId":"=1003","ts":"2026-11-22","gross":40,"refunded":0,"net":40,"currency":"EUR","status":"paid","sources":["pixel"],"firstTouch":"Organic Social","lastTouch":"Organic Social","path":"Organic Social"},""" +
            """{"orderId":"1002","ts":"2026-11-21","gross":60,"refunded":0,"net":60,"currency":"EUR","status":"paid","sources":["pixel"],"firstTouch":"Paid Search","lastTouch":"Paid Search","path":"Paid Search > Paid Search"}]""",
            Normalise(orders.GetProperty("orders")));
    }

    [SkippableFact]
    public async Task A_channel_filter_gives_that_channels_share_under_the_model_on_every_route()
    {
        await using var factory = await NewFactoryAsync(f =>
        {
            SpendClient.OnlyExplicitRuns(f);
            f.Settings["OmniTrack:Workspaces:0:Currency"] = "EUR";
        });
        using var client = await ShopAsync(factory);

        // Paid Search this week: order 1002 (60, ann, who first ordered last week: returning) and Google's 25 + 15.
        var summary = await GetJsonAsync(client, "/v1/metrics/summary?model=linear&channel=Paid%20Search&" + Week);
        Assert.Equal("Paid Search", summary.GetProperty("channel").GetString());
        Assert.Equal("""{"netRevenue":60,"orders":1,"aov":60,"spend":40,"roas":1.5,"cpa":40,"profitAfterAdSpend":20,"newCustomers":0,"returningCustomers":1,"ordersWithoutCustomer":0,"attributedRevenue":60}""",
            summary.GetProperty("current").GetRawText());
        Assert.Equal("""{"netRevenue":100,"orders":1,"aov":100,"spend":20,"roas":5,"cpa":20,"profitAfterAdSpend":80,"newCustomers":1,"returningCustomers":0,"ordersWithoutCustomer":0,"attributedRevenue":100}""",
            summary.GetProperty("previous").GetRawText());
        // The KPIs are the channel's row of the attribution summary (the report's channel chart).
        var channels = await GetJsonAsync(client, "/v1/attribution/summary?model=linear&groupBy=channel&" + Week);
        var row = channels.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Paid Search");
        Assert.Equal((60.0, 40.0, 1.0), (row.GetProperty("revenue").GetDouble(), row.GetProperty("spend").GetDouble(), row.GetProperty("conversions").GetDouble()));
        // Meta's spend with no attributed order: money spent for nothing.
        var social = await GetJsonAsync(client, "/v1/metrics/summary?model=linear&channel=Paid%20Social&" + Week);
        Assert.Equal("""{"netRevenue":0,"orders":0,"aov":null,"spend":10,"roas":0,"cpa":null,"profitAfterAdSpend":-10,"newCustomers":0,"returningCustomers":0,"ordersWithoutCustomer":0,"attributedRevenue":0}""",
            social.GetProperty("current").GetRawText());

        var daily = await GetJsonAsync(client, "/v1/metrics/daily?model=linear&groupBy=campaign&channel=Paid%20Search&" + Week);
        Assert.Equal(["2026-11-20|201|0|0|25", "2026-11-21|201|1|60|15"], daily.GetProperty("rows").EnumerateArray().Select(r =>
            $"{r.GetProperty("date").GetString()}|{r.GetProperty("key").GetString()}|{r.GetProperty("conversions").GetDouble()}|{r.GetProperty("revenue").GetDouble()}|{Nullable(r.GetProperty("spend"))}"));

        var orders = await GetJsonAsync(client, "/v1/orders?model=first&channel=Organic%20Social&from=2026-11-01&to=2026-12-01");
        Assert.Equal(["=1003"], orders.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        var paidSearch = await GetJsonAsync(client, "/v1/orders?channel=Paid%20Search&from=2026-11-01&to=2026-12-01");
        Assert.Equal(["1002", "1001"], paidSearch.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));

        // The campaigns table as CSV: the summary's rows and columns.
        Assert.Equal("campaign,conversions,revenue,spend,roas,cpa\r\n201,1,60,40,1.5,40\r\n",
            await GetTextAsync(client, "/v1/attribution/summary?model=linear&groupBy=campaign&channel=Paid%20Search&format=csv&" + Week));
        // The top paths through a channel, as CSV too.
        Assert.Equal("path,touches,conversions,revenue\r\nPaid Search,1,1,100\r\nPaid Search > Paid Search,2,1,60\r\n",
            await GetTextAsync(client, "/v1/attribution/paths?channel=Paid%20Search&format=csv"));
    }

    [SkippableFact]
    public async Task Orders_page_by_cursor_and_export_as_guarded_csv()
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        using var client = await ShopAsync(factory);

        var first = await GetJsonAsync(client, "/v1/orders?limit=2&from=2026-11-01&to=2026-12-01");
        Assert.Equal(["=1003", "1002"], first.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await GetJsonAsync(client, $"/v1/orders?limit=2&from=2026-11-01&to=2026-12-01&cursor={cursor}");
        Assert.Equal(["1001"], second.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/orders?limit=1&from=2026-11-01&to=2026-12-01");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.TryGetValues("X-Next-Cursor", out var next));
        var ts = first.GetProperty("orders")[0].GetProperty("ts").GetDateTime().ToUniversalTime();
        Assert.Equal(new OmniTrackIQ.Pipeline.Analytics.OrderCursor(OmniTrackIQ.Pipeline.Analytics.OrderCursor.EpochMs(ts), "=1003").Encode(), Assert.Single(next));
        Assert.Equal("order_id,ts,gross,refunded,net,currency,status,sources,first_touch,last_touch,path\r\n" +
            $"'=1003,{ts:yyyy-MM-ddTHH:mm:ss.fff}Z,40,0,40,EUR,paid,pixel,Organic Social,Organic Social,Organic Social\r\n", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task The_summary_csv_and_the_default_range_of_thirty_days_to_the_end_of_today()
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        using var client = await ShopAsync(factory);

        var summary = await GetJsonAsync(client, "/v1/metrics/summary");
        var end = TestClock.Now.UtcDateTime.Date.AddDays(1);
        Assert.Equal((end.AddDays(-30), end), (summary.GetProperty("from").GetDateTime().ToUniversalTime(), summary.GetProperty("to").GetDateTime().ToUniversalTime()));
        Assert.Equal("linear", summary.GetProperty("model").GetString());

        var csv = await GetTextAsync(client, "/v1/metrics/summary?model=first&format=csv&" + Week);
        Assert.StartsWith("metric,current,previous,change\r\nnet_revenue,100,100,0\r\norders,2,1,1\r\n", csv, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/v1/metrics/summary?model=best", "model", "unknown_model")]
    [InlineData("/v1/metrics/summary?from=yesterday", "from", "invalid_time")]
    [InlineData("/v1/metrics/summary?from=2026-11-10&to=2026-11-10", "to", "invalid_range")]
    [InlineData("/v1/metrics/summary?from=2025-01-01&to=2026-11-10", "to", "range_too_long")]
    [InlineData("/v1/metrics/summary?format=xml", "format", "unknown_format")]
    [InlineData("/v1/metrics/daily?groupBy=medium", "groupBy", "unknown_group_by")]
    [InlineData("/v1/orders?limit=0", "limit", "invalid_limit")]
    [InlineData("/v1/orders?limit=1001", "limit", "invalid_limit")]
    [InlineData("/v1/orders?cursor=bm90IGEgY3Vyc29y", "cursor", "invalid_cursor")]
    [InlineData("/v1/metrics/summary?channel=%20Email", "channel", "invalid_channel")]
    [InlineData("/v1/metrics/daily?channel=Email%0A", "channel", "invalid_channel")]
    [InlineData("/v1/orders?channel=Paid%01Search", "channel", "invalid_channel")]
    [InlineData("/v1/orders?channel=Email&model=best", "model", "unknown_model")]
    [InlineData("/v1/attribution/summary?channel=%09", "channel", "invalid_channel")]
    [InlineData("/v1/attribution/summary?format=pdf", "format", "unknown_format")]
    [InlineData("/v1/attribution/paths?channel=%20", "channel", "invalid_channel")]
    public async Task A_bad_parameter_is_a_400_naming_it(string path, string field, string reason)
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal((field, reason), (problem.GetProperty("field").GetString(), problem.GetProperty("reason").GetString()));
    }

    [SkippableFact]
    public async Task Another_workspaces_token_sees_none_of_it_and_no_token_is_401()
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        using var client = await ShopAsync(factory);

        var other = await GetJsonAsync(client, "/v1/orders?from=2026-11-01&to=2026-12-01", CollectorFactory.OtherReadToken);
        Assert.Equal(0, other.GetProperty("orders").GetArrayLength());
        var summary = await GetJsonAsync(client, "/v1/metrics/summary?" + Week, CollectorFactory.OtherReadToken);
        Assert.Equal((0.0, 0L), (summary.GetProperty("current").GetProperty("netRevenue").GetDouble(), summary.GetProperty("current").GetProperty("orders").GetInt64()));

        foreach (var path in new[] { "/v1/orders", "/v1/metrics/summary", "/v1/metrics/daily" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static async Task<HttpClient> ShopAsync(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserAgent);
        using (var batch = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(s_events))))
        {
            Assert.True(batch.IsSuccessStatusCode, $"batch refused: {(int)batch.StatusCode}");
        }

        Assert.Equal(s_events.Length, await CollectorClient.WaitForStoredAsync(client, s_events.Length));
        using (var run = new HttpRequestMessage(HttpMethod.Post, "/v1/attribution/run"))
        {
            run.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
            using var response = await client.SendAsync(run);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var spend in new[] { GoogleStream, MetaPage })
        {
            using var response = await SpendClient.PostAsync(client, spend, "application/json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        return client;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, string token = CollectorFactory.ReadToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private static async Task<string> GetTextAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "" : value.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The orders' JSON with each time cut to its day (and the HTML-safe escape of '>' read back).</summary>
    private static string Normalise(JsonElement orders) =>
        System.Text.RegularExpressions.Regex.Replace(orders.GetRawText().Replace("\\u003E", ">", StringComparison.Ordinal), "\"ts\":\"(\\d{4}-\\d{2}-\\d{2})T[^\"]*\"", "\"ts\":\"$1\"");
}

/// <summary>On the embedded store.</summary>
public sealed class AnalystApiEndToEndTests : AnalystApiEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseAnalystApiEndToEndTests : AnalystApiEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
