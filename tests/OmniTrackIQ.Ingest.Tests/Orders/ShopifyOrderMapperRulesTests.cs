using System.Text;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

/// <summary>The mapping rules one field at a time, and every refusal naming its field.</summary>
public sealed class ShopifyOrderMapperRulesTests
{
    private static ShopifyMapResult Map(string body, string topic = "orders/updated") => ShopifyOrderMapper.Map(topic, Encoding.UTF8.GetBytes(body));

    private static OrderReport Report(string body, string topic = "orders/updated")
    {
        var result = Map(body, topic);
        Assert.True(result.Report is not null, $"{result.Field}: {result.Error}");
        return result.Report;
    }

    private static void AssertRefused(string field, ShopifyMapResult result)
    {
        Assert.Null(result.Report);
        Assert.Equal(field, result.Field);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Theory]
    [InlineData("paid", "paid")]
    [InlineData("refunded", "refunded")]
    [InlineData("partially_refunded", "partially_refunded")]
    [InlineData("pending", "pending")]
    [InlineData("authorized", "pending")]
    [InlineData("partially_paid", "pending")]
    [InlineData("voided", "cancelled")]
    [InlineData("expired", "cancelled")]
    [InlineData("a_status_shopify_adds_later", "pending")]
    public void Financial_status_maps_onto_our_status(string financialStatus, string expected) =>
        Assert.Equal(expected, Report($$"""{"id":1,"created_at":"2024-01-01T00:00:00Z","financial_status":"{{financialStatus}}"}""").Status);

    [Fact]
    public void An_order_without_financial_status_is_pending() =>
        Assert.Equal("pending", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z"}""").Status);

    [Fact]
    public void Cancelled_at_wins_over_paid() =>
        Assert.Equal("cancelled", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","financial_status":"paid","cancelled_at":"2024-01-02T00:00:00Z"}""").Status);

    [Fact]
    public void Processed_at_stands_in_for_a_missing_created_at() =>
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), Report("""{"id":1,"processed_at":"2024-05-06T07:08:09+02:00"}""").Timestamp);

    [Fact]
    public void Money_as_JSON_numbers_and_ids_as_digit_strings_are_accepted_too()
    {
        var report = Report("""{"id":"9007199254740993","created_at":"2024-01-01T00:00:00Z","total_price":19.90,"customer":{"id":"9007199254740995"}}""");
        Assert.Equal(("9007199254740993", 19.90m, "9007199254740995"), (report.OrderId, report.Gross, report.UserId));
    }

    [Fact]
    public void Contact_email_then_customer_email_stand_in_for_a_blank_order_email()
    {
        Assert.Equal("c@example.com", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","email":"","contact_email":"c@example.com","customer":{"email":"u@example.com"}}""").EmailClearText);
        Assert.Equal("u@example.com", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","email":null,"customer":{"email":"u@example.com"}}""").EmailClearText);
    }

    [Fact]
    public void The_customers_phone_comes_before_the_billing_phone() =>
        Assert.Equal("+15550001", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","customer":{"phone":"+15550001"},"billing_address":{"phone":"+15550002"}}""").PhoneClearText);

    [Fact]
    public void An_order_without_line_items_has_no_line_items_JSON_and_an_empty_list_is_an_empty_array()
    {
        Assert.Null(Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z"}""").LineItemsJson);
        Assert.Equal("[]", Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","line_items":[]}""").LineItemsJson);
    }

    [Theory]
    [InlineData("products/create")]
    [InlineData("Orders/Create")]
    [InlineData("")]
    public void Any_other_topic_is_refused_on_the_topic_header(string topic) =>
        AssertRefused("X-Shopify-Topic", Map("""{"id":1,"created_at":"2024-01-01T00:00:00Z"}""", topic));

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"id":1""")]
    [InlineData("""{"id":1} {"id":2}""")]
    [InlineData("""[{"id":1}]""")]
    [InlineData("42")]
    public void ABodyThatIsNotOneJsonObjectIsRefusedAtTheRoot(string body) => AssertRefused("$", Map(body));

    [Theory]
    [InlineData("""{"created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"id":null,"created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"id":1.5,"created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"id":-1,"created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"id":"gid://shopify/Order/1","created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"id":1}""", "created_at")]
    [InlineData("""{"id":1,"created_at":"yesterday"}""", "created_at")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","customer":{"id":"x"}}""", "customer.id")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","line_items":[{"id":2,"variant_id":1e3}]}""", "line_items[0].variant_id")]
    public void AMissingOrMalformedIdOrTimeIsRefusedOnItsField(string body, string field) => AssertRefused(field, Map(body));

    [Theory]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","total_price":"12,50"}""", "total_price")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","total_price":true}""", "total_price")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","current_total_price":"1e3"}""", "current_total_price")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","total_price_set":{"presentment_money":{"amount":"$5"}}}""", "total_price_set.presentment_money.amount")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","line_items":[{"id":2},{"id":3,"price":"free"}]}""", "line_items[1].price")]
    [InlineData("""{"id":1,"created_at":"2024-01-01T00:00:00Z","refunds":[{"transactions":[]},{"transactions":[{"kind":"refund","status":"success","amount":"ten"}]}]}""", "refunds[1].transactions[0].amount")]
    public void BrokenMoneyIsRefusedOnItsField(string body, string field) => AssertRefused(field, Map(body));

    [Fact]
    public void Broken_money_on_a_transaction_that_does_not_count_is_ignored() =>
        Assert.Equal(0m, Report("""{"id":1,"created_at":"2024-01-01T00:00:00Z","refunds":[{"transactions":[{"kind":"refund","status":"failure","amount":"ten"}]}]}""").Refunded);

    [Theory]
    [InlineData("""{"id":2,"created_at":"2024-01-01T00:00:00Z"}""", "order_id")]
    [InlineData("""{"order_id":1,"created_at":"2024-01-01T00:00:00Z"}""", "id")]
    [InlineData("""{"order_id":1,"id":2}""", "created_at")]
    [InlineData("""{"order_id":1,"id":2,"created_at":"2024-01-01T00:00:00Z","transactions":[{"kind":"refund","status":"success","amount":"1.2.3"}]}""", "transactions[0].amount")]
    public void ARefundWithoutItsIdsTimeOrAReadableAmountIsRefused(string body, string field) => AssertRefused(field, Map(body, "refunds/create"));

    [Fact]
    public void A_refund_without_transactions_refunds_nothing_and_has_no_currency()
    {
        var report = Report("""{"order_id":1,"id":2,"processed_at":"2024-01-01T00:00:00Z"}""", "refunds/create");
        Assert.Equal((0m, null, "partially_refunded"), (report.Refunded, report.Currency, report.Status));
    }
}
