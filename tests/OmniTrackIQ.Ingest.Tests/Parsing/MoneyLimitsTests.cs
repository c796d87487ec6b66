using System.Text;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Parsing;

/// <summary>An amount the stores cannot hold (DECIMAL(18,4)) is refused where it is parsed, naming its field; the largest one that fits passes.</summary>
public sealed class MoneyLimitsTests
{
    [Theory]
    [InlineData("99999999999999.9999", true)]
    [InlineData("-99999999999999.9999", true)]
    [InlineData("100000000000000", false)]
    [InlineData("1e20", false)]
    public void The_limit_is_what_decimal_18_4_holds(string amount, bool fits) =>
        Assert.Equal(fits, MoneyLimits.Fits(decimal.Parse(amount, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1e15")]
    [InlineData("\"100000000000000.00\"")]
    public void A_batch_event_with_too_much_revenue_is_rejected_alone_by_its_field(string revenue)
    {
        var body = $$$"""{"batch":[{"type":"page","anonymousId":"a"},{"type":"conversion","anonymousId":"a","properties":{"orderId":"o","revenue":{{{revenue}}}}}]}""";
        Assert.Null(BatchParser.TryParse(Encoding.UTF8.GetBytes(body), null, out var batch));
        Assert.Single(batch.Events);
        var rejected = Assert.Single(batch.Rejected);
        Assert.Equal((1, "batch[1].properties.revenue", "out_of_range"), (rejected.Index, rejected.Field, rejected.Reason));
    }

    [Fact]
    public void The_largest_amount_that_fits_is_accepted()
    {
        const string Body = """{"batch":[{"type":"conversion","anonymousId":"a","properties":{"orderId":"o","revenue":99999999999999.9999}}]}""";
        Assert.Null(BatchParser.TryParse(Encoding.UTF8.GetBytes(Body), null, out var batch));
        Assert.Equal(MoneyLimits.Max, Assert.Single(batch.Events).Revenue);
    }

    [Fact]
    public void A_server_to_server_order_with_too_much_revenue_is_rejected_by_its_field()
    {
        Assert.Null(ConversionApiParser.TryParse("""{"orderId":"o-1","timestamp":"2026-11-23T10:00:00Z","revenue":1e15,"currency":"EUR"}"""u8, out var orders, out var rejected));
        Assert.Empty(orders);
        Assert.Equal("revenue", Assert.Single(rejected).Field);
    }

    [Fact]
    public void A_shopify_order_with_too_much_total_is_unmappable_by_its_field()
    {
        var result = ShopifyOrderMapper.Map("orders/updated", Encoding.UTF8.GetBytes("""{"id":1,"created_at":"2024-01-01T00:00:00Z","total_price":"1000000000000000.00"}"""));
        Assert.Equal((null, "total_price"), (result.Report, result.Field));
    }

    [Fact]
    public void Spend_beyond_the_limit_is_refused_in_csv_and_json()
    {
        var csv = SpendCsvParser.TryParse(Encoding.UTF8.GetBytes("date,platform,campaign,spend,currency\n2026-11-01,google,brand,100000000000000,EUR\n"), out _);
        Assert.Equal(("invalid_spend", true), (csv?.Reason, csv?.Field.Contains("spend", StringComparison.Ordinal)));
        var json = SpendJsonParser.TryParse("""{"rows":[{"date":"2026-11-01","platform":"google","campaign":"brand","spend":1e15,"currency":"EUR"}]}"""u8.ToArray(), out _);
        Assert.Equal("invalid_spend", json?.Reason);
    }
}
