using System.Text;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

public sealed class SpendCsvParserTests
{
    private const string Header = "date,platform,campaign,spend,currency,impressions,clicks\n";

    [Fact]
    public void Rows_are_parsed_with_optional_counts_and_derived_channels()
    {
        var rows = Parse(Header + "2026-11-01,google,brand,12.5,EUR,1000,50\n2026-11-01,meta,retarget,3,eur,,\n2026-11-02,youtube,pre-roll,0.10,EUR,7,\n");

        Assert.Equal(
            [
                new SpendRow(new DateOnly(2026, 11, 1), "google", "Paid Search", "brand", 12.5m, "EUR", 1000, 50),
                new SpendRow(new DateOnly(2026, 11, 1), "meta", "Paid Social", "retarget", 3m, "EUR", null, null),
                new SpendRow(new DateOnly(2026, 11, 2), "youtube", "Paid Video", "pre-roll", 0.10m, "EUR", 7, null),
            ],
            rows);
    }

    [Fact]
    public void Header_order_is_free_case_blind_and_channel_is_an_optional_override()
    {
        var rows = Parse("Currency, SPEND ,channel,campaign,date,platform\r\nEUR,4.25,Display,spring,2026-11-03,criteo\r\nEUR,1,,spring,2026-11-03,bing\r\n");

        Assert.Equal(
            [
                new SpendRow(new DateOnly(2026, 11, 3), "criteo", "Display", "spring", 4.25m, "EUR", null, null),
                new SpendRow(new DateOnly(2026, 11, 3), "bing", "Paid Search", "spring", 1m, "EUR", null, null),
            ],
            rows);
    }

    [Fact]
    public void Quoted_fields_hold_commas_doubled_quotes_and_line_breaks()
    {
        var rows = Parse(Header + "2026-11-01,google,\"Brand, \"\"exact\"\"\",\"1.5\",EUR,,\r\n2026-11-01,google,\"two\nlines\",2,EUR,,\r\n");

        Assert.Equal("Brand, \"exact\"", rows[0].Campaign);
        Assert.Equal(1.5m, rows[0].Spend);
        Assert.Equal("two\nlines", rows[1].Campaign);
    }

    [Fact]
    public void A_bom_blank_lines_and_a_missing_final_newline_are_fine()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\n" + Header + "\n2026-11-01,tiktok,a,1,EUR,,\n\n2026-11-01,x,b,2,EUR,3,4")).ToArray();

        Assert.Null(SpendCsvParser.TryParse(bytes, out var rows));
        Assert.Equal(["Paid Social", "Paid Social"], rows.Select(r => r.Channel));
        Assert.Equal(4, rows[1].Clicks);
    }

    [Fact]
    public void An_error_after_a_multi_line_field_names_the_physical_line()
    {
        var error = Error(Header + "2026-11-01,google,\"a\nb\nc\",1,EUR,,\n2026-11-01,google,d,-1,EUR,,\n");

        Assert.Equal(("line 5: spend", "invalid_spend"), (error.Field, error.Reason));
    }

    [Theory]
    [InlineData(",google,b,1,EUR,,", "line 3: date", "missing_field")]
    [InlineData("2026-13-01,google,b,1,EUR,,", "line 3: date", "invalid_date")]
    [InlineData("9999-12-31,google,b,1,EUR,,", "line 3: date", "invalid_date")]
    [InlineData("0001-01-01,google,b,1,EUR,,", "line 3: date", "invalid_date")]
    [InlineData("2026-11-01,,b,1,EUR,,", "line 3: platform", "missing_field")]
    [InlineData("2026-11-01,google,,1,EUR,,", "line 3: campaign", "missing_field")]
    [InlineData("2026-11-01,google,b,,EUR,,", "line 3: spend", "missing_field")]
    [InlineData("2026-11-01,google,b,-2,EUR,,", "line 3: spend", "invalid_spend")]
    [InlineData("2026-11-01,google,b,1e3,EUR,,", "line 3: spend", "invalid_spend")]
    [InlineData("2026-11-01,google,b,\"1,5\",EUR,,", "line 3: spend", "invalid_spend")]
    [InlineData("2026-11-01,google,b,1,,,", "line 3: currency", "missing_field")]
    [InlineData("2026-11-01,google,b,1,€,,", "line 3: currency", "invalid_currency")]
    [InlineData("2026-11-01,google,b,1,EUR,-5,", "line 3: impressions", "invalid_count")]
    [InlineData("2026-11-01,google,b,1,EUR,1.5,", "line 3: impressions", "invalid_count")]
    [InlineData("2026-11-01,google,b,1,EUR,,many", "line 3: clicks", "invalid_count")]
    [InlineData("2026-11-01,google,brand,1,USD,,", "line 3: currency", "conflicting_row")]
    [InlineData("2026-11-01,google,b,1,EUR", "line 3", "field_count")]
    [InlineData("2026-11-01,google,b,1,EUR,,,", "line 3", "field_count")]
    [InlineData("2026-11-01,google,\"b,1,EUR,,", "line 3", "invalid_csv")]
    [InlineData("2026-11-01,google,\"b\"x,1,EUR,,", "line 3", "invalid_csv")]
    [InlineData("2026-11-01,google,b\"x,1,EUR,,", "line 3", "invalid_csv")]
    public void Each_field_error_names_the_line_and_column(string secondRow, string field, string reason)
    {
        var error = Error(Header + "2026-11-01,google,brand,1,EUR,,\n" + secondRow + "\n");

        Assert.Equal((400, field, reason), (error.Status, error.Field, error.Reason));
    }

    [Theory]
    [InlineData("date,platform,campaign,spend\n", "line 1: currency", "missing_column")]
    [InlineData("date,platform,campaign,spend,currency,clikcs\n", "line 1: clikcs", "unknown_column")]
    [InlineData("date,platform,campaign,spend,currency,Date\n", "line 1: date", "duplicate_column")]
    [InlineData("", "line 1", "missing_header")]
    [InlineData("\r\n\r\n", "line 1", "missing_header")]
    public void Header_errors_name_the_column(string csv, string field, string reason)
    {
        var error = Error(csv);

        Assert.Equal((400, field, reason), (error.Status, error.Field, error.Reason));
    }

    [Fact]
    public void A_header_without_rows_is_an_empty_import()
    {
        Assert.Empty(Parse("date,platform,campaign,spend,currency\n"));
    }

    [Fact]
    public void Invalid_utf8_is_400()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "2026-11-01,google,x,1,EUR,,\n").Append((byte)0xFF).ToArray();

        Assert.Equal(("$", "invalid_utf8"), (SpendCsvParser.TryParse(bytes, out _)!.Field, SpendCsvParser.TryParse(bytes, out _)!.Reason));
    }

    [Fact]
    public void More_than_the_row_limit_is_413_naming_the_first_line_over_it()
    {
        var csv = new StringBuilder(Header);
        for (var i = 0; i < SpendLimits.MaxRows; i++) { csv.Append("2026-11-01,google,c").Append(i).Append(",1,EUR,,\n"); }
        Assert.Equal(SpendLimits.MaxRows, Parse(csv.ToString()).Count);

        csv.Append("2026-11-01,google,one-more,1,EUR,,\n");
        var error = Error(csv.ToString());

        Assert.Equal((413, $"line {SpendLimits.MaxRows + 2}", "too_many_rows"), (error.Status, error.Field, error.Reason));
    }

    private static List<SpendRow> Parse(string csv)
    {
        var error = SpendCsvParser.TryParse(Encoding.UTF8.GetBytes(csv), out var rows);
        Assert.True(error is null, error?.ToString());
        return rows;
    }

    private static Ingest.IngestError Error(string csv)
    {
        var error = SpendCsvParser.TryParse(Encoding.UTF8.GetBytes(csv), out var rows);
        Assert.NotNull(error);
        Assert.Empty(rows);
        return error;
    }
}
