namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>
/// The KPIs of one period (<c>GET /v1/metrics/summary</c>); money in the shop's currency, rounded to 4 places. Shop-wide
/// (<see cref="MetricsSummary.Result"/>) or one channel's share under a model (<see cref="MetricsSummary.ChannelResult"/>).
/// </summary>
/// <param name="NetRevenue">Sum of the orders' net revenue (after refunds; a cancelled order nets 0).</param>
/// <param name="Orders">Orders that are not cancelled (a channel: the conversions the model credits to it, a fraction per shared order).</param>
/// <param name="Aov">Net revenue / orders; null without orders.</param>
/// <param name="Spend">Ad spend of the days starting in the period (shop currency only).</param>
/// <param name="Roas">Net revenue / spend (blended); null without spend.</param>
/// <param name="Cpa">Spend / orders; null without orders.</param>
/// <param name="ProfitAfterAdSpend">Net revenue − spend.</param>
/// <param name="NewCustomers">People whose first order lies in the period.</param>
/// <param name="ReturningCustomers">People who ordered in the period and had ordered before it.</param>
/// <param name="OrdersWithoutCustomer">Orders attribution has not given to a person yet (neither new nor returning).</param>
/// <param name="AttributedRevenue">Revenue the chosen model credits to some channel (orders without a touch get none).</param>
public sealed record PeriodMetrics(
    double NetRevenue, double Orders, double? Aov, double Spend, double? Roas, double? Cpa, double ProfitAfterAdSpend,
    long NewCustomers, long ReturningCustomers, long OrdersWithoutCustomer, double AttributedRevenue);

/// <summary>
/// Folds order rows and spend into <see cref="PeriodMetrics"/>: the one place the KPI rules live, whichever store the
/// rows came from. Feed it every order of the period (<see cref="Add"/>), then <see cref="Result"/>.
/// </summary>
public sealed class MetricsSummary(Period period)
{
    private readonly HashSet<string> _newCustomers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _returningCustomers = new(StringComparer.Ordinal);
    private decimal _net;
    private long _orders;
    private long _withoutCustomer;

    public const string Cancelled = "cancelled";

    public void Add(OrderListRow order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!period.Contains(order.Ts)) { return; }
        _net += order.Net ?? 0;
        if (string.Equals(order.Status, Cancelled, StringComparison.Ordinal)) { return; }
        _orders++;
        if (order.Person is null)
        {
            _withoutCustomer++;
            return;
        }

        // The person's first order decides: before the period → returning; in it (or unknown, i.e. this one) → new.
        var returning = order.CustomerFirstOrder is { } first && first < period.From;
        (returning ? _returningCustomers : _newCustomers).Add(order.Person);
    }

    /// <param name="spend">Shop-currency spend of the period.</param>
    /// <param name="attributedRevenue">Revenue the model credited in the period.</param>
    public PeriodMetrics Result(double spend, double attributedRevenue)
    {
        var net = Round((double)_net);
        spend = Round(spend);
        double? aov = _orders > 0 ? Round(net / _orders) : null;
        double? roas = spend > 0 ? Round(net / spend) : null;
        double? cpa = _orders > 0 ? Round(spend / _orders) : null;
        return new PeriodMetrics(net, _orders, aov, spend, roas, cpa, Round(net - spend), _newCustomers.Count, _returningCustomers.Count,
            _withoutCustomer, Round(attributedRevenue));
    }

    /// <summary>
    /// One channel's share of the period under a model, every figure as the channel's row of the attribution summary has
    /// it, so the KPIs equal the channel chart: revenue and conversions the model credits to the channel, that channel's
    /// spend, their ratios. Customers are counted from the rows fed, which must be the orders credited to the channel
    /// (<see cref="CreditFilter"/>).
    /// </summary>
    public PeriodMetrics ChannelResult(double creditedConversions, double creditedRevenue, double spend)
    {
        var revenue = Round(creditedRevenue);
        var conversions = Math.Round(creditedConversions, 6);
        spend = Round(spend);
        double? aov = conversions > 0 ? Round(revenue / conversions) : null;
        double? roas = spend > 0 ? Round(revenue / spend) : null;
        double? cpa = conversions > 0 ? Round(spend / conversions) : null;
        return new PeriodMetrics(revenue, conversions, aov, spend, roas, cpa, Round(revenue - spend), _newCustomers.Count, _returningCustomers.Count,
            _withoutCustomer, revenue);
    }

    /// <summary>(current − previous) / previous; null when the previous figure is 0 or either is missing.</summary>
    public static double? Change(double? current, double? previous) =>
        current is { } c && previous is { } p && p != 0 ? Math.Round((c - p) / Math.Abs(p), 4) : null;

    private static double Round(double value) => Math.Round(value, 4);
}
