using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Pipeline.Tests.Analytics;

public sealed class OrderPageTests
{
    private static readonly DateTime s_ts = new(2026, 11, 1, 9, 30, 0, DateTimeKind.Utc);

    private static OrderListRow Row(string id, int minutes, string sources = "pixel", string? path = null) =>
        new(id, s_ts.AddMinutes(-minutes), 10, 0, 10, "EUR", "paid", sources, path is null ? null : "p", path, null);

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("(none)", null, null)]
    [InlineData("Email", "Email", "Email")]
    [InlineData("Paid Search > Email > Direct", "Paid Search", "Direct")]
    public void First_and_last_touch_are_the_ends_of_the_path(string? path, string? first, string? last)
    {
        Assert.Equal((first, last), (OrderPaths.FirstChannel(path), OrderPaths.LastChannel(path)));
    }

    [Fact]
    public void Money_loses_the_trailing_zeros_of_its_column_but_not_its_value()
    {
        var item = OrderPage.Item(Row("o", 0) with { Gross = 40.0000m, Refunded = 0.0000m, Net = 12.5000m });

        Assert.Equal(("40", "0", "12.5"), (item.Gross!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            item.Refunded.ToString(System.Globalization.CultureInfo.InvariantCulture), item.Net!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Sources_are_listed_most_authoritative_first_whatever_order_the_store_gave()
    {
        Assert.Equal(["shopify", "s2s", "pixel", "other"], OrderPage.Item(Row("o", 0, "pixel,other,s2s,shopify,pixel")).Sources);
    }

    [Fact]
    public void A_page_holds_limit_orders_and_a_cursor_after_the_last_only_when_more_were_read()
    {
        var rows = new[] { Row("c", 0), Row("b", 1), Row("a", 2) };

        var full = OrderPage.From(rows, 2);
        var last = OrderPage.From(rows[..2], 2);

        Assert.Equal(["c", "b"], full.Orders.Select(o => o.OrderId));
        Assert.True(OrderCursor.TryDecode(full.NextCursor, out var cursor));
        Assert.Equal(OrderCursor.After(rows[1]), cursor);
        Assert.Null(last.NextCursor);
        Assert.Equal(2, last.Orders.Count);
    }

    [Fact]
    public void The_csv_has_one_line_per_order_with_guarded_text()
    {
        var row = Row("=cmd()", 0, "s2s,pixel", "Paid Search > Email") with { Gross = 12.5m, Refunded = 2.5m, Net = 10m };

        var csv = OrderPage.From([row], 10).ToCsv().ToString();

        Assert.Equal("order_id,ts,gross,refunded,net,currency,status,sources,first_touch,last_touch,path\r\n" +
            "'=cmd(),2026-11-01T09:30:00.000Z,12.5,2.5,10,EUR,paid,s2s pixel,Paid Search,Email,Paid Search > Email\r\n", csv);
    }

    [Fact]
    public void Daily_series_totals_every_day_and_a_key_filter_keeps_one_group()
    {
        var series = new DailySeries();
        var day1 = new DateOnly(2026, 11, 1);
        var day2 = day1.AddDays(1);
        series.AddDay(day1, [new DailyGroupRow(day1, "Paid Search", 1, 100, 40, 2.5), new DailyGroupRow(day1, "Email", 0.5, 20, null, null)], onlyKey: null);
        series.AddDay(day2, [], onlyKey: null);

        Assert.Equal([new DailyTotal(day1, 120, 40), new DailyTotal(day2, 0, 0)], series.Totals);
        Assert.Equal("date,key,conversions,revenue,spend,roas\r\n2026-11-01,Paid Search,1,100,40,2.5\r\n2026-11-01,Email,0.5,20,,\r\n", series.ToCsv().ToString());

        var search = new DailySeries();
        search.AddDay(day1, [new DailyGroupRow(day1, "Paid Search", 1, 100, 40, 2.5), new DailyGroupRow(day1, "Email", 0.5, 20, null, null)], onlyKey: "Email");
        Assert.Equal([new DailyTotal(day1, 20, 0)], search.Totals);
        Assert.Equal(["Email"], search.Rows.Select(r => r.Key));
    }
}
