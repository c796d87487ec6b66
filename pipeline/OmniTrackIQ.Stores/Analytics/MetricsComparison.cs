namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>Relative change of each KPI against the previous period: (current − previous) / |previous|, null when previous is 0 or missing.</summary>
public sealed record MetricsChange(
    double? NetRevenue, double? Orders, double? Aov, double? Spend, double? Roas, double? Cpa, double? ProfitAfterAdSpend,
    double? NewCustomers, double? ReturningCustomers, double? AttributedRevenue);

/// <summary>
/// <c>GET /v1/metrics/summary</c>: the KPIs of [from, to) and of the period of the same length just before it, shop-wide
/// or (<paramref name="Channel"/> set) that channel's share under <paramref name="Model"/>.
/// </summary>
public sealed record MetricsComparison(
    string Model, string? Channel, DateTime From, DateTime To, DateTime PreviousFrom, DateTime PreviousTo, PeriodMetrics Current, PeriodMetrics Previous, MetricsChange Change)
{
    public static MetricsComparison Of(string model, string? channel, Period period, PeriodMetrics current, PeriodMetrics previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        var change = new MetricsChange(
            MetricsSummary.Change(current.NetRevenue, previous.NetRevenue), MetricsSummary.Change(current.Orders, previous.Orders),
            MetricsSummary.Change(current.Aov, previous.Aov), MetricsSummary.Change(current.Spend, previous.Spend),
            MetricsSummary.Change(current.Roas, previous.Roas), MetricsSummary.Change(current.Cpa, previous.Cpa),
            MetricsSummary.Change(current.ProfitAfterAdSpend, previous.ProfitAfterAdSpend),
            MetricsSummary.Change(current.NewCustomers, previous.NewCustomers), MetricsSummary.Change(current.ReturningCustomers, previous.ReturningCustomers),
            MetricsSummary.Change(current.AttributedRevenue, previous.AttributedRevenue));
        var before = period.Previous;
        return new MetricsComparison(model, channel, period.From, period.To, before.From, before.To, current, previous, change);
    }

    /// <summary>The table of <c>?format=csv</c>: one line per KPI with its current and previous figure and the change.</summary>
    public CsvTable ToCsv()
    {
        var csv = new CsvTable("metric", "current", "previous", "change");
        Line(csv, "net_revenue", Current.NetRevenue, Previous.NetRevenue, Change.NetRevenue);
        Line(csv, "orders", Current.Orders, Previous.Orders, Change.Orders);
        Line(csv, "aov", Current.Aov, Previous.Aov, Change.Aov);
        Line(csv, "spend", Current.Spend, Previous.Spend, Change.Spend);
        Line(csv, "roas", Current.Roas, Previous.Roas, Change.Roas);
        Line(csv, "cpa", Current.Cpa, Previous.Cpa, Change.Cpa);
        Line(csv, "profit_after_ad_spend", Current.ProfitAfterAdSpend, Previous.ProfitAfterAdSpend, Change.ProfitAfterAdSpend);
        Line(csv, "new_customers", Current.NewCustomers, Previous.NewCustomers, Change.NewCustomers);
        Line(csv, "returning_customers", Current.ReturningCustomers, Previous.ReturningCustomers, Change.ReturningCustomers);
        Line(csv, "orders_without_customer", Current.OrdersWithoutCustomer, Previous.OrdersWithoutCustomer, null);
        Line(csv, "attributed_revenue", Current.AttributedRevenue, Previous.AttributedRevenue, Change.AttributedRevenue);
        return csv;
    }

    private static void Line(CsvTable csv, string metric, double? current, double? previous, double? change) =>
        csv.Text(metric).Number(current).Number(previous).Number(change);
}
