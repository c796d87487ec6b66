using System.Globalization;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

/// <summary>Each documented Shopify payload onto the exact report it must become.</summary>
public sealed class ShopifyOrderMapperTests
{
    private const string PaidLineItems =
        """[{"id":"466157049","product_id":"632910392","variant_id":"39072856","sku":"IPOD2008GREEN","title":"IPod Nano - 8gb","quantity":1,"price":"199.00"},"""
        + """{"id":"518995019","product_id":"632910392","variant_id":"49148385","sku":"IPOD2008RED","title":"IPod Nano - 8gb","quantity":1,"price":"199.00"},"""
        + """{"id":"703073504","product_id":"632910392","variant_id":"457924702","sku":"IPOD2008BLACK","title":"IPod Nano - 8gb","quantity":1,"price":"199.00"}]""";

    private static readonly TimeSpan _eastern = TimeSpan.FromHours(-5);
    private static readonly TimeSpan _easternSummer = TimeSpan.FromHours(-4);

    [Fact]
    public void A_multi_currency_orders_create_keeps_shop_and_presentment_money_and_the_cart_attributes()
    {
        var report = ShopifyFixtures.Map("orders/create", "orders-create.json");

        Assert.Equal(
            new OrderReport
            {
                OrderId = "820982911946154508",
                Timestamp = new DateTimeOffset(2022, 4, 6, 8, 9, 3, _easternSummer),
                UpdatedAt = new DateTimeOffset(2022, 4, 6, 8, 9, 3, _easternSummer),
                Gross = 403.00m,
                Refunded = 0m,
                Net = 403.00m,
                Currency = "EUR",
                PresentmentCurrency = "USD",
                PresentmentGross = 437.15m,
                Status = "pending",
                AnonymousId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                UserId = "115310627314723954",
                EmailClearText = "jon@doe.ca",
                PhoneClearText = "555-555-BILL",
                LandingUrl = "/?utm_source=newsletter&utm_medium=email&gclid=EAIaIQobChMI",
                Referrer = "https://www.google.com/",
                CartToken = "c1-7b2e0f6a9d",
                CheckoutToken = "9c6d1e3b7a5f4e2d8c0b1a2f3e4d5c6b",
                SourceName = "web",
                FirstTouch = """{"utm_source":"facebook","fbclid":"IwAR2x","ts":"2022-04-01T10:00:00Z"}""",
                LastTouch = """{"utm_source":"newsletter","gclid":"EAIaIQobChMI","ts":"2022-04-06T12:05:00Z"}""",
                LineItemsJson =
                    """[{"id":"866550311766439020","product_id":"632910392","variant_id":"808950810","sku":"IPOD2008PINK","title":"IPod Nano - 8GB","quantity":1,"price":"199.00"},"""
                    + """{"id":"141249953214522974","product_id":"632910392","variant_id":"808950810","sku":"IPOD2008PINK","title":"IPod Nano - 8GB","quantity":1,"price":"199.00"}]""",
            },
            report);
        // Record equality compares instants only; the offset Shopify sent is kept as well.
        Assert.Equal(_easternSummer, report.Timestamp.Offset);
    }

    [Fact]
    public void A_paid_order_takes_the_orders_own_phone_over_the_customers_and_keeps_all_three_line_items()
    {
        Assert.Equal(
            new OrderReport
            {
                OrderId = "450789469",
                Timestamp = new DateTimeOffset(2008, 1, 10, 11, 0, 0, _eastern),
                UpdatedAt = new DateTimeOffset(2008, 1, 10, 11, 0, 0, _eastern),
                Gross = 598.94m,
                Net = 598.94m,
                Currency = "USD",
                PresentmentCurrency = "USD",
                PresentmentGross = 598.94m,
                Status = "paid",
                AnonymousId = "anon-7f3c2a",
                UserId = "207119551",
                EmailClearText = "bob.norman@mail.example.com",
                PhoneClearText = "+557734881234",
                LandingUrl = "http://www.example.com?source=abc",
                Referrer = "http://www.otherexample.com",
                CartToken = "68778783ad298f1c80c3bafcddeea02f",
                CheckoutToken = "bd5a8aa1ecd019dd3520ff791ee3a24c",
                SourceName = "web",
                LineItemsJson = PaidLineItems,
            },
            ShopifyFixtures.Map("orders/paid", "orders-paid.json"));
    }

    [Fact]
    public void A_partially_refunded_update_sums_only_successful_refund_transactions_and_keeps_the_lower_current_total()
    {
        // 209.00 + 0.94 (a number, not a string); the failed 50.00, pending 10.00 and void 5.00 do not count.
        Assert.Equal(
            new OrderReport
            {
                OrderId = "450789469",
                Timestamp = new DateTimeOffset(2008, 1, 10, 11, 0, 0, _eastern),
                // updated_at: the refunds moved it on two days after the order was placed.
                UpdatedAt = new DateTimeOffset(2008, 1, 12, 9, 30, 0, _eastern),
                Gross = 598.94m,
                Refunded = 209.94m,
                Net = 389.00m,
                Currency = "USD",
                PresentmentCurrency = "USD",
                PresentmentGross = 598.94m,
                Status = "partially_refunded",
                AnonymousId = "anon-7f3c2a",
                UserId = "207119551",
                EmailClearText = "bob.norman@mail.example.com",
                PhoneClearText = "+557734881234",
                LandingUrl = "http://www.example.com?source=abc",
                Referrer = "http://www.otherexample.com",
                CartToken = "68778783ad298f1c80c3bafcddeea02f",
                CheckoutToken = "bd5a8aa1ecd019dd3520ff791ee3a24c",
                SourceName = "web",
                LineItemsJson = """[{"id":"466157049","product_id":"632910392","variant_id":"39072856","sku":"IPOD2008GREEN","title":"IPod Nano - 8gb","quantity":1,"price":"199.00"}]""",
            },
            ShopifyFixtures.Map("orders/updated", "orders-updated-partial-refund.json"));
    }

    [Fact]
    public void A_cancelled_order_is_cancelled_whatever_its_financial_status_and_falls_back_to_the_billing_phone()
    {
        Assert.Equal(
            new OrderReport
            {
                OrderId = "820982911946154508",
                Timestamp = new DateTimeOffset(2022, 4, 6, 8, 9, 3, _easternSummer),
                UpdatedAt = new DateTimeOffset(2022, 4, 6, 8, 9, 3, _easternSummer),
                Gross = 403.00m,
                Net = 0.00m,
                Currency = "USD",
                PresentmentCurrency = "USD",
                PresentmentGross = 403.00m,
                Status = "cancelled",
                UserId = "115310627314723954",
                EmailClearText = "jon@doe.ca",
                PhoneClearText = "555-555-BILL",
                SourceName = "web",
                LineItemsJson = """[{"id":"866550311766439020","product_id":"632910392","variant_id":"808950810","sku":"IPOD2008PINK","title":"IPod Nano - 8GB","quantity":1,"price":"199.00"}]""",
            },
            ShopifyFixtures.Map("orders/cancelled", "orders-cancelled.json"));
    }

    [Fact]
    public void A_refunds_create_reports_the_refund_against_its_order_with_only_the_successful_amount()
    {
        Assert.Equal(
            new OrderReport
            {
                OrderId = "450789469",
                RefundId = "509562969",
                Timestamp = new DateTimeOffset(2023, 10, 3, 13, 42, 12, _easternSummer),
                UpdatedAt = new DateTimeOffset(2023, 10, 3, 13, 42, 12, _easternSummer),
                Refunded = 41.94m,
                Currency = "USD",
                Status = "partially_refunded",
            },
            ShopifyFixtures.Map("refunds/create", "refunds-create.json"));
    }

    [Fact]
    public void Ids_above_2_to_53_round_trip_digit_for_digit()
    {
        var report = ShopifyFixtures.Map("orders/paid", "order-big-id.json");

        Assert.Equal(
            new OrderReport
            {
                OrderId = "9007199254740993",
                Timestamp = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero),
                UpdatedAt = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero),
                Gross = 25.00m,
                Refunded = 25.00m,
                Net = 0.00m,
                Currency = "USD",
                Status = "refunded",
                AnonymousId = "anon-big",
                UserId = "9007199254740995",
                EmailClearText = "big@example.com",
                SourceName = "web",
                LineItemsJson = """[{"id":"9007199254740997","product_id":"9007199254740999","variant_id":null,"sku":null,"title":"Custom item","quantity":2,"price":"12.50"}]""",
            },
            report);
        // What a double would have made of the same digits, so this test would catch a detour through one.
        Assert.Equal("9007199254740992", 9007199254740993d.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_point_of_sale_order_has_no_landing_page_no_cart_attributes_and_no_customer()
    {
        Assert.Equal(
            new OrderReport
            {
                OrderId = "5940139491234",
                Timestamp = new DateTimeOffset(2024, 11, 10, 10, 30, 0, _eastern),
                UpdatedAt = new DateTimeOffset(2024, 11, 10, 10, 30, 0, _eastern),
                Gross = 12.50m,
                Net = 12.50m,
                Currency = "CAD",
                PresentmentCurrency = "CAD",
                PresentmentGross = 12.50m,
                Status = "paid",
                SourceName = "pos",
                LineItemsJson = """[{"id":"13688971493691","product_id":"8061536829755","variant_id":"44610569208040","sku":"COFFEE-250","title":"House blend 250 g","quantity":1,"price":"12.50"}]""",
            },
            ShopifyFixtures.Map("orders/create", "order-pos.json"));
    }

    [Fact]
    public void Money_keeps_the_scale_Shopify_wrote()
    {
        var report = ShopifyFixtures.Map("orders/updated", "orders-updated-partial-refund.json");
        Assert.Equal(("598.94", "389.00"), (report.Gross!.Value.ToString(CultureInfo.InvariantCulture), report.Net!.Value.ToString(CultureInfo.InvariantCulture)));
    }
}
