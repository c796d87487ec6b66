using System.Text;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

/// <summary>What makes a Shopify report the same report (its signed payload), and the state time that orders an order's reports.</summary>
public sealed class ShopifyReportOrderingTests
{
    private static readonly DateTimeOffset s_day = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ShopifyMapResult Map(string body, string topic = "orders/updated") => ShopifyOrderMapper.Map(topic, Encoding.UTF8.GetBytes(body));

    private static OrderReport Report(string body, string topic = "orders/updated")
    {
        var result = Map(body, topic);
        Assert.True(result.Report is not null, $"{result.Field}: {result.Error}");
        return result.Report;
    }

    [Fact]
    public void Updated_at_is_the_state_time_whatever_the_other_times_say() =>
        Assert.Equal(s_day.AddDays(2), Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","processed_at":"2024-01-04T00:00:00Z","cancelled_at":"2024-01-05T00:00:00Z","updated_at":"2024-01-03T00:00:00Z"}""").UpdatedAt);

    [Theory]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z"}""", 0)]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","processed_at":"2024-01-02T00:00:00Z"}""", 1)]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","processed_at":"2024-01-02T00:00:00Z","cancelled_at":"2024-01-04T00:00:00Z"}""", 3)]
    [InlineData("""{"id":1,"created_at":"2024-01-03T00:00:00Z","processed_at":"2024-01-02T00:00:00Z","updated_at":null}""", 2)]
    public void Without_updated_at_the_latest_of_placed_processed_and_cancelled_stands_in(string body, int days) =>
        Assert.Equal(s_day.AddDays(days), Report(body).UpdatedAt);

    [Theory]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"yesterday"}""", "updated_at")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","cancelled_at":5}""", "cancelled_at")]
    public void A_malformed_state_time_is_refused_on_its_field(string body, string field)
    {
        var result = Map(body);
        Assert.Null(result.Report);
        Assert.Equal(field, result.Field);
    }

    [Fact]
    public void A_refunds_state_time_is_its_creation() =>
        Assert.Equal(s_day.AddHours(5), Report("""{"id":7,"order_id":1,"created_at":"2024-01-01T05:00:00Z"}""", "refunds/create").UpdatedAt);

    [Fact]
    public void The_same_bytes_are_the_same_report_under_any_delivery_and_another_topic_or_one_byte_more_is_another()
    {
        var body = ShopifyFixtures.Read("orders-paid.json");
        var report = ShopifyFixtures.Map("orders/paid", "orders-paid.json");
        var id = ShopifyReportIds.For("orders/paid", body, report);

        Assert.Equal(id, ShopifyReportIds.For("orders/paid", (byte[])body.Clone(), report));
        Assert.Matches("^shopify:orders/paid:[0-9a-f]{32}$", id);
        Assert.NotEqual(id, ShopifyReportIds.For("orders/updated", body, report));
        Assert.NotEqual(id, ShopifyReportIds.For("orders/paid", [.. body, (byte)'\n'], report));
    }

    [Fact]
    public void A_refund_is_known_by_its_own_id_so_two_serialisations_of_it_count_once()
    {
        var report = ShopifyFixtures.Map("refunds/create", "refunds-create.json");
        var body = ShopifyFixtures.Read("refunds-create.json");

        Assert.Equal("shopify:refund:450789469:509562969", ShopifyReportIds.For("refunds/create", body, report));
        Assert.Equal("shopify:refund:450789469:509562969", ShopifyReportIds.For("refunds/create", [.. body, (byte)' '], report));
    }
}
