using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Pipeline.Tests.Analytics;

public sealed class MetricsSummaryTests
{
    private static readonly DateTime s_from = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Period s_period = new(s_from, s_from.AddDays(7));

    private static OrderListRow Order(string id, double day, decimal? net, string status = "paid", string? person = null, double? firstDay = null) =>
        new(id, s_from.AddDays(day), net, 0, net, "EUR", status, "pixel", person, null, firstDay is { } f ? s_from.AddDays(f) : null);

    [Fact]
    public void Kpis_follow_from_net_revenue_orders_and_spend()
    {
        var summary = new MetricsSummary(s_period);
        summary.Add(Order("a", 0, 100, person: "p1", firstDay: 0));
        summary.Add(Order("b", 1, 50, person: "p1", firstDay: 0));
        summary.Add(Order("c", 2, 0, status: "refunded", person: "p2", firstDay: -10));
        summary.Add(Order("d", 3, 0, status: "cancelled", person: "p3", firstDay: 3));
        summary.Add(Order("e", 4, null, person: null));

        Assert.Equal(new PeriodMetrics(NetRevenue: 150, Orders: 4, Aov: 37.5, Spend: 60, Roas: 2.5, Cpa: 15, ProfitAfterAdSpend: 90,
            NewCustomers: 1, ReturningCustomers: 1, OrdersWithoutCustomer: 1, AttributedRevenue: 120), summary.Result(60, 120));
    }

    [Fact]
    public void Orders_outside_the_period_are_ignored_and_the_bounds_are_half_open()
    {
        var summary = new MetricsSummary(s_period);
        summary.Add(Order("before", -0.0001, 1000));
        summary.Add(Order("first instant", 0, 10));
        summary.Add(Order("at to", 7, 1000));

        var result = summary.Result(0, 0);

        Assert.Equal((10.0, 1L), (result.NetRevenue, result.Orders));
    }

    [Fact]
    public void Without_orders_or_spend_the_ratios_are_null_not_infinite()
    {
        var empty = new MetricsSummary(s_period).Result(25, 0);
        Assert.Equal(new PeriodMetrics(0, 0, null, 25, 0, null, -25, 0, 0, 0, 0), empty);

        var noSpend = new MetricsSummary(s_period);
        noSpend.Add(Order("a", 1, 10));
        Assert.Equal((null, 0.0), (noSpend.Result(0, 0).Roas, noSpend.Result(0, 0).Cpa));
    }

    [Fact]
    public void Figures_are_rounded_to_four_places()
    {
        var summary = new MetricsSummary(s_period);
        foreach (var id in new[] { "a", "b", "c" }) { summary.Add(Order(id, 1, 10)); }

        var result = summary.Result(7, 0.123456);

        Assert.Equal((10.0, 4.2857, 2.3333, 0.1235), (result.Aov!.Value, result.Roas!.Value, result.Cpa!.Value, result.AttributedRevenue));
    }

    [Theory]
    [InlineData(120.0, 100.0, 0.2)]
    [InlineData(50.0, 100.0, -0.5)]
    [InlineData(-10.0, -20.0, 0.5)]
    [InlineData(5.0, 0.0, null)]
    [InlineData(null, 3.0, null)]
    [InlineData(3.0, null, null)]
    public void The_change_is_relative_to_the_previous_figure(double? current, double? previous, double? change)
    {
        Assert.Equal(change, MetricsSummary.Change(current, previous));
    }

    [Fact]
    public void The_previous_period_has_the_same_length_and_ends_where_the_current_starts()
    {
        var period = new Period(s_from.AddHours(12), s_from.AddDays(3));

        Assert.Equal(new Period(s_from.AddHours(-48), s_from.AddHours(12)), period.Previous);
    }

    [Fact]
    public void Days_cover_the_range_clipped_to_it()
    {
        var period = new Period(s_from.AddHours(12), s_from.AddDays(2).AddHours(6));

        Assert.Equal(
        [
            (new DateOnly(2026, 11, 1), new Period(s_from.AddHours(12), s_from.AddDays(1))),
            (new DateOnly(2026, 11, 2), new Period(s_from.AddDays(1), s_from.AddDays(2))),
            (new DateOnly(2026, 11, 3), new Period(s_from.AddDays(2), s_from.AddDays(2).AddHours(6))),
        ], period.Days());
    }

    [Fact]
    public void The_comparison_lists_each_kpi_with_its_previous_figure_and_change_as_csv()
    {
        var current = new PeriodMetrics(150, 4, 37.5, 60, 2.5, 15, 90, 3, 1, 0, 120);
        var previous = new PeriodMetrics(100, 2, 50, 0, null, 0, 100, 2, 0, 1, 80);

        var comparison = MetricsComparison.Of("linear", null, s_period, current, previous);

        Assert.Equal((s_from.AddDays(-7), s_from), (comparison.PreviousFrom, comparison.PreviousTo));
        Assert.Equal(new MetricsChange(0.5, 1, -0.25, null, null, null, -0.1, 0.5, null, 0.5), comparison.Change);
        Assert.Equal(
            "metric,current,previous,change\r\nnet_revenue,150,100,0.5\r\norders,4,2,1\r\naov,37.5,50,-0.25\r\nspend,60,0,\r\nroas,2.5,,\r\ncpa,15,0,\r\n" +
            "profit_after_ad_spend,90,100,-0.1\r\nnew_customers,3,2,0.5\r\nreturning_customers,1,0,\r\norders_without_customer,0,1,\r\nattributed_revenue,120,80,0.5\r\n",
            comparison.ToCsv().ToString());
    }
}
