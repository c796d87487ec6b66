namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>
/// One order of the ledger as the analyst API lists it: its figures are the ledger's (README "Orders"); the person,
/// path and the person's first order come from the last attribution run (null before it).
/// </summary>
/// <param name="Ts">The order's time: its first order report's (refund reports do not move it).</param>
/// <param name="Sources">Who reported it, comma-separated as the ledger keeps it.</param>
/// <param name="Path">Its attributed path (<c>Paid Search &gt; Email</c>), <c>(none)</c> without a touch.</param>
/// <param name="CustomerFirstOrder">The earliest attributed conversion of the same person, for new vs returning.</param>
public sealed record OrderListRow(
    string OrderId, DateTime Ts, decimal? Gross, decimal Refunded, decimal? Net, string? Currency, string Status, string Sources,
    string? Person, string? Path, DateTime? CustomerFirstOrder);

/// <summary>
/// Only the orders <paramref name="Model"/> gives <paramref name="Channel"/> any credit (a touch of that channel with credit
/// above 0 in the last attribution run): the orders behind that channel's row of the attribution summary.
/// </summary>
public sealed record CreditFilter(string Channel, string Model);

/// <summary>Reads orders for the analyst API; each store only moves the rows, the rules are in <see cref="MetricsSummary"/> and <see cref="OrderPage"/>.</summary>
public interface IOrderListQueries
{
    /// <summary>
    /// The workspace's orders with from ≤ time &lt; to, newest first (time, then order id, both descending), strictly after
    /// <paramref name="after"/> in that order, at most <paramref name="limit"/> (null: all), each handed to <paramref name="row"/>.
    /// Times compare at millisecond precision. With <paramref name="credited"/> only the orders it keeps (none before the first run).
    /// </summary>
    Task ReadAsync(string workspace, DateTime from, DateTime to, CreditFilter? credited, OrderCursor? after, int? limit, Action<OrderListRow> row,
        CancellationToken cancellationToken);
}
