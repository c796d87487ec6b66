namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>Reads the order ledger (README "Orders"): one order as every source reported it, and what attribution made of it.</summary>
public interface IOrderLedger
{
    /// <summary>Null when no source reported the order to this workspace.</summary>
    Task<OrderDetail?> GetAsync(string workspace, string orderId, CancellationToken cancellationToken);
}

/// <summary><c>GET /v1/orders/{orderId}</c>.</summary>
/// <param name="Sources">Who reported it, most authoritative first.</param>
/// <param name="IdentityKeys">The keys its reports carried (<c>a:</c> anonymous id, <c>u:</c> user id, <c>e:</c>/<c>p:</c> e-mail/phone SHA-256).</param>
/// <param name="Person">The person attribution gave it to, once the worker has run.</param>
/// <param name="Path">Its attributed path (<c>Paid Search > Email</c>), <c>(none)</c> without a touch.</param>
/// <param name="MissReason">Why no visit explains it, when none does.</param>
public sealed record OrderDetail(
    string OrderId, string Status, decimal? Gross, decimal Refunded, decimal? Net, string? Currency, IReadOnlyList<string> Sources,
    IReadOnlyList<OrderReportRow> Reports, IReadOnlyList<string> IdentityKeys, string? Person, string? Path, string? MissReason,
    IReadOnlyList<OrderTouch> Touches);

/// <summary>One report of the order, as stored (the ledger's history).</summary>
/// <param name="UpdatedAt">When its state became current by the source's own clock (null: it did not say, so its arrival ranks it).</param>
public sealed record OrderReportRow(string Source, string Status, string? Kind, decimal? Gross, decimal? Refunded, decimal? Net, DateTime Ts, DateTime ReceivedAt, string MessageId,
    DateTime? UpdatedAt);

/// <summary>One credited touch of the order's path, with its linear-model share of the net revenue.</summary>
public sealed record OrderTouch(int Index, string Channel, string? Source, string? Medium, string? Campaign, DateTime? Ts, double LinearCredit);
