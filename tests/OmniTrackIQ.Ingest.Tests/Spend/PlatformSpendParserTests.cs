using System.Text;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

/// <summary>The ad platforms' own reporting answers (Fixtures, see the README there) through <see cref="SpendJsonParser"/>.</summary>
public sealed class PlatformSpendParserTests
{
    private static readonly DateOnly s_first = new(2026, 11, 1);
    private static readonly DateOnly s_second = new(2026, 11, 2);

    [Fact]
    public void A_google_ads_search_stream_answer_becomes_campaign_rows_with_cost_micros_in_the_account_currency()
    {
        var rows = ParseFixture("google-ads-search-stream.json");

        Assert.Equal(
        [
            new SpendRow(s_first, "google", "Paid Search", "Brand - DE", 12.3457m, "EUR", 1520, 41) { CampaignId = "20123456789" },
            new SpendRow(s_second, "google", "Paid Search", "Brand - DE", 9.87m, "EUR", 1402, 37) { CampaignId = "20123456789" },
            new SpendRow(s_first, "google", "Paid Search", "Generic - Shoes", 0m, "EUR", 12, 0) { CampaignId = "20987654321" },
        ], rows);
    }

    [Fact]
    public void A_google_ads_search_page_at_ad_level_keeps_ad_group_and_ad()
    {
        var rows = ParseFixture("google-ads-search-ad-level.json");

        Assert.Equal(
        [
            new SpendRow(s_first, "google", "Paid Search", "Brand - DE", 8m, "EUR", 1000, 30)
            {
                CampaignId = "20123456789", AdGroupId = "151234567890", AdGroup = "Brand exact", AdId = "681234567890", Ad = "RSA 1",
            },
            new SpendRow(s_first, "google", "Paid Search", "Brand - DE", 4.3457m, "EUR", 520, 11)
            {
                CampaignId = "20123456789", AdGroupId = "151234567890", AdGroup = "Brand exact", AdId = "681234567891",
            },
        ], rows);
    }

    [Fact]
    public void Google_rows_in_proto_field_names_and_numbers_read_the_same()
    {
        var rows = Parse("""
            {"results":[{"customer":{"currency_code":"EUR"},"campaign":{"id":20123456789,"name":"Brand"},"ad_group":{"id":"7","name":"g"},
              "ad_group_ad":{"ad":{"id":"8"}},"metrics":{"cost_micros":1500000,"clicks":2},"segments":{"date":"2026-11-01"}}]}
            """);

        Assert.Equal([new SpendRow(s_first, "google", "Paid Search", "Brand", 1.5m, "EUR", null, 2) { CampaignId = "20123456789", AdGroupId = "7", AdGroup = "g", AdId = "8" }], rows);
    }

    [Fact]
    public void A_meta_insights_page_becomes_ad_rows_of_platform_meta_with_string_spend()
    {
        var rows = ParseFixture("meta-insights-ad-level.json");

        var ad = new SpendRow(s_first, "meta", "Paid Social", "Retargeting | Nov", 18.42m, "EUR", 2210, 57)
        {
            CampaignId = "23851234567890123", AdGroupId = "23851234567890456", AdGroup = "Cart abandoners 7d", AdId = "23851234567890789", Ad = "Carousel A",
        };
        Assert.Equal(
        [
            ad,
            ad with { Spend = 6.1m, Impressions = 980, Clicks = 12, AdId = "23851234567890790", Ad = "Video B" },
            ad with { Date = s_second, Spend = 20m, Impressions = 2400, Clicks = 61 },
        ], rows);
    }

    [Fact]
    public void A_tiktok_report_page_becomes_daily_campaign_rows()
    {
        var rows = ParseFixture("tiktok-report-campaign.json");

        Assert.Equal(
        [
            new SpendRow(s_first, "tiktok", "Paid Social", "Launch UGC", 31.5m, "USD", 15400, 210) { CampaignId = "1780123456789012" },
            new SpendRow(s_second, "tiktok", "Paid Social", "Launch UGC", 28.75m, "USD", 14100, 198) { CampaignId = "1780123456789012" },
        ], rows);
    }

    [Fact]
    public void A_campaign_without_a_name_is_named_by_its_id()
    {
        var rows = Parse("""{"data":[{"campaign_id":"42","spend":"1","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01"}]}""");

        Assert.Equal([new SpendRow(s_first, "meta", "Paid Social", "42", 1m, "EUR", null, null) { CampaignId = "42" }], rows);
    }

    [Fact]
    public void An_empty_answer_is_no_rows()
    {
        Assert.Empty(Parse("[]"));
        Assert.Empty(Parse("""[{"fieldMask":"campaign.id","requestId":"x"}]"""));
        Assert.Empty(Parse("""{"data":[],"paging":{}}"""));
        Assert.Empty(Parse("""{"code":0,"message":"OK","data":{"list":[],"page_info":{"page":1}}}"""));
    }

    [Theory]
    [InlineData("""[{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":"1","name":"b"},"segments":{"date":"2026-11-01"}}]}]""", "[0].results[0].metrics.costMicros", "missing_field")]
    [InlineData("""[{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":"1","name":"b"},"metrics":{"costMicros":"x"},"segments":{"date":"2026-11-01"}}]}]""", "[0].results[0].metrics.costMicros", "invalid_spend")]
    [InlineData("""[{"results":[]},{"results":[{"campaign":{"id":"1","name":"b"},"metrics":{"costMicros":"1"},"segments":{"date":"2026-11-01"}}]}]""", "[1].results[0].customer.currencyCode", "missing_field")]
    [InlineData("""{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":"1"},"metrics":{"costMicros":"1"},"segments":{"date":"20261101"}}]}""", "results[0].segments.date", "invalid_date")]
    [InlineData("""{"results":[{"customer":{"currencyCode":"EUR"},"metrics":{"costMicros":"1"},"segments":{"date":"2026-11-01"}}]}""", "results[0].campaign.name", "missing_field")]
    [InlineData("""{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":"1","name":"b"},"metrics":{"costMicros":"-5"},"segments":{"date":"2026-11-01"}}]}""", "results[0].metrics.costMicros", "invalid_spend")]
    [InlineData("""{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":"1","name":"b"},"metrics":{"costMicros":"1","clicks":"1.5"},"segments":{"date":"2026-11-01"}}]}""", "results[0].metrics.clicks", "invalid_count")]
    [InlineData("""{"results":[{"customer":{"currencyCode":"EUR"},"campaign":{"id":{},"name":"b"},"metrics":{"costMicros":"1"},"segments":{"date":"2026-11-01"}}]}""", "results[0].campaign.id", "invalid_field")]
    [InlineData("""{"results":[7]}""", "results[0]", "invalid_field")]
    [InlineData("""{"results":{}}""", "results", "invalid_field")]
    [InlineData("""[7]""", "[0]", "invalid_field")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"1","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-07"}]}""", "data[0].date_stop", "not_daily")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"12,50","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01"}]}""", "data[0].spend", "invalid_spend")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"1","date_start":"2026-11-01","date_stop":"2026-11-01"}]}""", "data[0].account_currency", "missing_field")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"1","account_currency":"EUR","date_stop":"2026-11-01"}]}""", "data[0].date_start", "missing_field")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"1","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01","adset_id":[1]}]}""", "data[0].adset_id", "invalid_field")]
    [InlineData("""{"data":[{"campaign_id":"1","campaign_name":"r","spend":"1","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01","impressions":"-3"}]}""", "data[0].impressions", "invalid_count")]
    [InlineData("""{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}""", "error", "platform_error")]
    [InlineData("""{"code":40001,"message":"Access token is invalid","request_id":"x","data":{}}""", "code", "platform_error")]
    [InlineData("""{"code":40100,"message":"Too many requests"}""", "code", "platform_error")]
    [InlineData("""{"code":0,"message":"OK","data":{}}""", "data.list", "missing_field")]
    [InlineData("""{"code":0,"data":{"list":[{"dimensions":{"campaign_id":"1","stat_time_day":"2026-11-01 13:00:00"},"metrics":{"spend":"1","campaign_name":"c","currency":"USD"}}]}}""", "data.list[0].dimensions.stat_time_day", "invalid_date")]
    [InlineData("""{"code":0,"data":{"list":[{"dimensions":{"campaign_id":"1","stat_time_day":"2026-11-01 00:00:00"},"metrics":{"spend":"1","campaign_name":"c"}}]}}""", "data.list[0].metrics.currency", "missing_field")]
    [InlineData("""{"code":0,"data":{"list":[{"dimensions":{"campaign_id":"1","stat_time_day":"2026-11-01 00:00:00"},"metrics":{"spend":"1","campaign_name":"c","currency":"USD","clicks":"many"}}]}}""", "data.list[0].metrics.clicks", "invalid_count")]
    [InlineData("""{"code":0,"data":{"list":[{"dimensions":{"campaign_id":"1","stat_time_day":"2026-11-01"},"metrics":{"campaign_name":"c","currency":"USD"}}]}}""", "data.list[0].metrics.spend", "missing_field")]
    public void Each_refusal_names_the_platforms_own_field(string body, string field, string reason)
    {
        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body), out var rows);

        Assert.NotNull(error);
        Assert.Equal((400, field, reason), (error.Status, error.Field, error.Reason));
        Assert.Empty(rows);
    }

    [Fact]
    public void The_same_ad_twice_in_one_answer_adds_up_and_other_ads_stay_apart()
    {
        const string Row = """{"campaign_id":"1","campaign_name":"r","adset_id":"2","ad_id":"AD","spend":"SPEND","account_currency":"EUR","date_start":"2026-11-01","date_stop":"2026-11-01"}""";
        var rows = Parse("{\"data\":[" + string.Join(',',
            Row.Replace("AD", "3", StringComparison.Ordinal).Replace("SPEND", "1.5", StringComparison.Ordinal),
            Row.Replace("AD", "3", StringComparison.Ordinal).Replace("SPEND", "2", StringComparison.Ordinal),
            Row.Replace("AD", "4", StringComparison.Ordinal).Replace("SPEND", "7", StringComparison.Ordinal)) + "]}");

        Assert.Equal([("3", 3.5m), ("4", 7m)], rows.Select(r => (r.AdId, r.Spend)));
    }

    [Fact]
    public void More_platform_rows_than_the_limit_are_413_naming_the_first_row_over_it()
    {
        var body = new StringBuilder("{\"data\":[");
        for (var i = 0; i <= SpendLimits.MaxRows; i++)
        {
            if (i > 0) { body.Append(','); }
            body.Append("{\"campaign_id\":\"").Append(i).Append("\",\"spend\":\"1\",\"account_currency\":\"EUR\",\"date_start\":\"2026-11-01\",\"date_stop\":\"2026-11-01\"}");
        }

        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body.Append("]}").ToString()), out var rows);

        Assert.Equal((413, $"data[{SpendLimits.MaxRows}]", "too_many_rows"), (error!.Status, error.Field, error.Reason));
        Assert.Empty(rows);
    }

    private static List<SpendRow> ParseFixture(string name) =>
        Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Spend", "Fixtures", name)));

    private static List<SpendRow> Parse(string body)
    {
        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body), out var rows);
        Assert.Null(error);
        return rows;
    }
}
