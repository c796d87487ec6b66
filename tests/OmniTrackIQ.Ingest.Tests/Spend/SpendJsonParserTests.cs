using System.Text;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

public sealed class SpendJsonParserTests
{
    private const string Good = """{"date":"2026-11-01","platform":"google","campaign":"brand","spend":12.5,"currency":"EUR","impressions":1000,"clicks":50}""";

    [Fact]
    public void A_full_row_is_parsed_with_its_derived_channel()
    {
        var rows = Parse(Good);

        var row = Assert.Single(rows);
        Assert.Equal(new SpendRow(new DateOnly(2026, 11, 1), "google", "Paid Search", "brand", 12.5m, "EUR", 1000, 50), row);
    }

    [Fact]
    public void Optional_fields_may_be_absent_or_null_and_names_are_normalised()
    {
        var rows = Parse("""{"date":"2026-11-02","platform":" TikTok ","campaign":" Launch ","spend":0,"currency":"usd","clicks":null}""",
            """{"date":"2026-11-02","platform":"newsletter_network","campaign":"c","spend":1.23456,"currency":"EUR","channel":"Paid Shopping"}""");

        Assert.Equal(new SpendRow(new DateOnly(2026, 11, 2), "tiktok", "Paid Social", "Launch", 0m, "USD", null, null), rows[0]);
        Assert.Equal(new SpendRow(new DateOnly(2026, 11, 2), "newsletter_network", "Paid Shopping", "c", 1.2346m, "EUR", null, null), rows[1]);
    }

    [Fact]
    public void The_first_and_last_day_a_row_may_name_are_accepted()
    {
        var rows = Parse("""{"date":"2000-01-01","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""",
            """{"date":"2099-12-31","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""");

        Assert.Equal([new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31)], rows.Select(r => r.Date));
    }

    [Fact]
    public void Rows_of_the_same_date_platform_and_campaign_are_summed()
    {
        var rows = Parse(Good, """{"date":"2026-11-01","platform":"Google","campaign":"brand","spend":7.5,"currency":"EUR","impressions":10}""",
            """{"date":"2026-11-01","platform":"google","campaign":"generic","spend":1,"currency":"EUR"}""");

        Assert.Equal(2, rows.Count);
        Assert.Equal(new SpendRow(new DateOnly(2026, 11, 1), "google", "Paid Search", "brand", 20m, "EUR", 1010, 50), rows[0]);
        Assert.Equal("generic", rows[1].Campaign);
    }

    [Theory]
    [InlineData("""{"platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "missing_field")]
    [InlineData("""{"date":"01/11/2026","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":"2026-02-30","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":"9999-12-31","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":"0001-01-01","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":"1999-12-31","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":"2100-01-01","platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_date")]
    [InlineData("""{"date":20261101,"platform":"google","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].date", "invalid_field")]
    [InlineData("""{"date":"2026-11-01","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].platform", "missing_field")]
    [InlineData("""{"date":"2026-11-01","platform":"  ","campaign":"b","spend":1,"currency":"EUR"}""", "rows[1].platform", "missing_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"","spend":1,"currency":"EUR"}""", "rows[1].campaign", "missing_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"\ud800","spend":1,"currency":"EUR"}""", "rows[1].campaign", "invalid_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","currency":"EUR"}""", "rows[1].spend", "missing_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":-0.01,"currency":"EUR"}""", "rows[1].spend", "invalid_spend")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":"12","currency":"EUR"}""", "rows[1].spend", "invalid_spend")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1e40,"currency":"EUR"}""", "rows[1].spend", "invalid_spend")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1000000000000.01,"currency":"EUR"}""", "rows[1].spend", "invalid_spend")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1}""", "rows[1].currency", "missing_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"EURO"}""", "rows[1].currency", "invalid_currency")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"E1R"}""", "rows[1].currency", "invalid_currency")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"EUR","impressions":-1}""", "rows[1].impressions", "invalid_count")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"EUR","impressions":1.5}""", "rows[1].impressions", "invalid_count")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"EUR","clicks":"3"}""", "rows[1].clicks", "invalid_count")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"b","spend":1,"currency":"EUR","channel":7}""", "rows[1].channel", "invalid_field")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"brand","spend":1,"currency":"USD"}""", "rows[1].currency", "conflicting_row")]
    [InlineData("""{"date":"2026-11-01","platform":"google","campaign":"brand","spend":1,"currency":"EUR","channel":"Display"}""", "rows[1].channel", "conflicting_row")]
    [InlineData("1", "rows[1]", "invalid_field")]
    public void Each_field_error_names_the_row_and_field(string secondRow, string field, string reason)
    {
        var body = """{"rows":[""" + Good + "," + secondRow + "]}";

        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body), out var rows);

        Assert.NotNull(error);
        Assert.Equal((400, field, reason), (error.Status, error.Field, error.Reason));
        Assert.Empty(rows);
    }

    [Fact]
    public void Names_longer_than_256_characters_are_refused()
    {
        var campaign = new string('c', 257);
        var body = $$"""{"rows":[{"date":"2026-11-01","platform":"google","campaign":"{{campaign}}","spend":1,"currency":"EUR"}]}""";

        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body), out _);

        Assert.Equal(("rows[0].campaign", "too_long"), (error!.Field, error.Reason));
        Assert.Single(Parse(Good.Replace("\"brand\"", "\"" + new string('c', 256) + "\"", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("", "$", "empty_body")]
    [InlineData("{\"rows\":[", "$", "invalid_json")]
    [InlineData("1", "$", "unknown_format")]
    [InlineData("{}", "$", "unknown_format")]
    [InlineData("{\"data\":1}", "data", "invalid_field")]
    [InlineData("{\"rows\":{}}", "rows", "invalid_field")]
    public void Malformed_documents_are_400(string body, string field, string reason)
    {
        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(body), out _);

        Assert.Equal((400, field, reason), (error!.Status, error.Field, error.Reason));
    }

    [Fact]
    public void Invalid_utf8_is_400()
    {
        var error = SpendJsonParser.TryParse(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, out _);

        Assert.Equal(("$", "invalid_utf8"), (error!.Field, error.Reason));
    }

    [Fact]
    public void More_than_the_row_limit_is_413_and_the_limit_itself_is_accepted()
    {
        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(Rows(SpendLimits.MaxRows + 1)), out _);
        Assert.Equal((413, "rows", "too_many_rows"), (error!.Status, error.Field, error.Reason));

        Assert.Null(SpendJsonParser.TryParse(Encoding.UTF8.GetBytes(Rows(SpendLimits.MaxRows)), out var rows));
        Assert.Equal(SpendLimits.MaxRows, rows.Count);
    }

    /// <summary>Distinct campaigns so merging does not shrink the count.</summary>
    private static string Rows(int count)
    {
        var body = new StringBuilder("{\"rows\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) { body.Append(','); }
            body.Append("{\"date\":\"2026-11-01\",\"platform\":\"google\",\"campaign\":\"c").Append(i).Append("\",\"spend\":1,\"currency\":\"EUR\"}");
        }

        return body.Append("]}").ToString();
    }

    private static List<SpendRow> Parse(params string[] rows)
    {
        var error = SpendJsonParser.TryParse(Encoding.UTF8.GetBytes("{\"rows\":[" + string.Join(',', rows) + "]}"), out var parsed);
        Assert.Null(error);
        return parsed;
    }
}
