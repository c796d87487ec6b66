using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Spend;

/// <summary><c>POST /v1/spend</c> through the real host; spend is read back through the attribution summary.</summary>
public sealed class SpendEndpointTests
{
    private const string JsonBody = """
        {"rows":[
          {"date":"2026-11-20","platform":"google","campaign":"brand","spend":25,"currency":"EUR","impressions":1000,"clicks":50},
          {"date":"2026-11-21","platform":"meta","campaign":"retarget","spend":10.5,"currency":"eur"}]}
        """;

    private const string CsvBody = "campaign,date,platform,spend,currency,clicks\r\n\"brand, exact\",2026-11-20,bing,4.5,EUR,3\r\nbrand,2026-11-21,google,15,EUR,\r\n";

    [Fact]
    public async Task Json_rows_are_stored_for_the_secret_keys_workspace()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();

        using var response = await SpendClient.PostAsync(client, JsonBody, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, await RowsAsync(response));
        var byChannel = await SpendClient.SummaryAsync(client, "groupBy=channel");
        SpendClient.AssertRow(byChannel, "Paid Search", conversions: 0, revenue: 0, spend: 25, roas: 0, cpa: null);
        SpendClient.AssertRow(byChannel, "Paid Social", conversions: 0, revenue: 0, spend: 10.5, roas: 0, cpa: null);
    }

    [Fact]
    public async Task Csv_rows_are_stored_and_a_repeated_import_replaces_them()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await SpendClient.PostAsync(client, CsvBody, "text/csv; charset=utf-8");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(2, await RowsAsync(response));
        }

        var byCampaign = await SpendClient.SummaryAsync(client, "groupBy=campaign");
        Assert.Equal(2, byCampaign.GetProperty("rows").GetArrayLength());
        SpendClient.AssertRow(byCampaign, "brand", conversions: 0, revenue: 0, spend: 15, roas: 0, cpa: null);
        SpendClient.AssertRow(byCampaign, "brand, exact", conversions: 0, revenue: 0, spend: 4.5, roas: 0, cpa: null);
    }

    [Fact]
    public async Task A_google_ads_search_stream_answer_is_stored_by_campaign_name_and_other_currencies_are_flagged_not_summed()
    {
        await using var factory = SpendClient.NewFactory();
        factory.Settings["OmniTrack:Workspaces:0:Currency"] = "EUR";
        using var client = factory.CreateClient();
        const string Stream = """
            [{"results":[
              {"customer":{"currencyCode":"EUR"},"campaign":{"resourceName":"customers/1/campaigns/201","id":"201","name":"Brand - DE"},
               "metrics":{"costMicros":"25000000","clicks":"5"},"segments":{"date":"2026-11-20"}},
              {"customer":{"currencyCode":"CHF"},"campaign":{"id":"301","name":"Brand - CH"},"metrics":{"costMicros":"9000000"},"segments":{"date":"2026-11-20"}}],
              "fieldMask":"customer.currencyCode,campaign.id,campaign.name,metrics.costMicros,metrics.clicks,segments.date","requestId":"r1"}]
            """;

        using var response = await SpendClient.PostAsync(client, Stream, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, answer.RootElement.GetProperty("rows").GetInt32());
            var flagged = Assert.Single(answer.RootElement.GetProperty("currencyFlagged").EnumerateArray());
            Assert.Equal(("CHF", 9m, 1), (flagged.GetProperty("currency").GetString(), flagged.GetProperty("spend").GetDecimal(), flagged.GetProperty("rows").GetInt32()));
        }

        var byCampaign = await SpendClient.SummaryAsync(client, "groupBy=campaign");
        Assert.Equal(1, byCampaign.GetProperty("rows").GetArrayLength());
        SpendClient.AssertRow(byCampaign, "Brand - DE", conversions: 0, revenue: 0, spend: 25, roas: 0, cpa: null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk_wrong")]
    [InlineData(CollectorFactory.ReadToken)]
    [InlineData(CollectorFactory.WriteKey)]
    public async Task Without_the_secret_key_it_is_401_and_nothing_is_written(string? key)
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();

        using var response = await SpendClient.PostAsync(client, JsonBody, "application/json", key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Authorization", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
        Assert.Empty((await SpendClient.SummaryAsync(client, "groupBy=channel")).GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task A_bad_row_is_400_naming_it_and_no_row_of_the_request_is_written()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();
        const string Body = """{"rows":[{"date":"2026-11-20","platform":"google","campaign":"brand","spend":25,"currency":"EUR"},{"date":"2026-11-20","platform":"google","campaign":"generic","spend":-3,"currency":"EUR"}]}""";

        using var response = await SpendClient.PostAsync(client, Body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal("rows[1].spend", problem.GetProperty("field").GetString());
        Assert.Equal("rows[1].spend: must not be negative", problem.GetProperty("detail").GetString());
        Assert.Empty((await SpendClient.SummaryAsync(client, "groupBy=campaign")).GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task A_bad_csv_line_is_400_naming_the_line_and_column()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();

        using var response = await SpendClient.PostAsync(client, "date,platform,campaign,spend,currency\n2026-11-20,google,brand,1,EUR\n2026-11-20,google,x,1,EURO\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("line 3: currency", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Another_media_type_is_415()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();

        using var response = await SpendClient.PostAsync(client, JsonBody, "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_body_over_8_MiB_is_413_and_one_just_under_is_read()
    {
        await using var factory = SpendClient.NewFactory();
        using var client = factory.CreateClient();
        const string Row = "2026-11-20,google,brand,1,EUR\n";
        var underLimit = new StringBuilder("date,platform,campaign,spend,currency\n");
        while (underLimit.Length + Row.Length <= 8 * 1024 * 1024) { underLimit.Append(Row); }

        using (var ok = await SpendClient.PostAsync(client, underLimit.ToString(), "text/csv"))
        {
            // Far more rows than the row limit: read in full, then refused for the row count, not the size.
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, ok.StatusCode);
            Assert.Equal("too_many_rows", (await CollectorClient.ProblemAsync(ok)).GetProperty("reason").GetString());
        }

        underLimit.Append(Row);
        using var response = await SpendClient.PostAsync(client, underLimit.ToString(), "text/csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await CollectorClient.ProblemAsync(response);
        Assert.Equal(("$", "body_too_large"), (problem.GetProperty("field").GetString(), problem.GetProperty("reason").GetString()));
    }

    private static async Task<int> RowsAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("rows").GetInt32();
    }
}
