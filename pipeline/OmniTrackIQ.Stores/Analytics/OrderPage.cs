using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>One order of <c>GET /v1/orders</c>: the ledger's figures, who reported it and how attribution saw it.</summary>
/// <param name="Sources">Reporters, most authoritative first (webhook, S2S, pixel).</param>
/// <param name="FirstTouch">Channel of the path's first touch; null without one (or before attribution ran).</param>
/// <param name="LastTouch">Channel of the path's last touch.</param>
public sealed record OrderItem(
    string OrderId, DateTime Ts, decimal? Gross, decimal Refunded, decimal? Net, string? Currency, string Status, IReadOnlyList<string> Sources,
    string? FirstTouch, string? LastTouch, string? Path);

/// <summary>A page of orders and the cursor of the next one (null on the last page).</summary>
public sealed record OrderPage(IReadOnlyList<OrderItem> Orders, string? NextCursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    private static readonly string[] s_authority = [OrderSources.ShopifyWebhook, OrderSources.ServerToServer, OrderSources.Pixel];

    /// <summary>
    /// The page from rows read with limit + 1: the extra row only tells that another page exists, and the cursor
    /// is the last listed order's, so the next page starts right after it.
    /// </summary>
    public static OrderPage From(IReadOnlyList<OrderListRow> rows, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var count = Math.Min(rows.Count, limit);
        var items = new List<OrderItem>(count);
        for (var i = 0; i < count; i++) { items.Add(Item(rows[i])); }
        var next = rows.Count > limit ? OrderCursor.After(rows[limit - 1]).Encode() : null;
        return new OrderPage(items, next);
    }

    public static OrderItem Item(OrderListRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var sources = row.Sources.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(Rank).ThenBy(s => s, StringComparer.Ordinal)
            .ToList();
        return new OrderItem(row.OrderId, row.Ts, Plain(row.Gross), Plain(row.Refunded)!.Value, Plain(row.Net), row.Currency, row.Status, sources,
            OrderPaths.FirstChannel(row.Path), OrderPaths.LastChannel(row.Path), row.Path);
    }

    /// <summary>
    /// Money without the trailing zeros of a DECIMAL(18,4) column (40.0000 → 40), so both stores' answers read alike;
    /// dividing by 1 with 28 zero decimals is decimal's way of dropping the scale without changing the value.
    /// </summary>
    private static decimal? Plain(decimal? value) => value is { } v ? v / 1.0000000000000000000000000000m : null;

    /// <summary>The table of <c>GET /v1/orders?format=csv</c>.</summary>
    public CsvTable ToCsv()
    {
        var csv = new CsvTable("order_id", "ts", "gross", "refunded", "net", "currency", "status", "sources", "first_touch", "last_touch", "path");
        foreach (var o in Orders)
        {
            csv.Text(o.OrderId).Text(o.Ts.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))
                .Number(o.Gross).Number(o.Refunded).Number(o.Net).Text(o.Currency).Text(o.Status).Text(string.Join(' ', o.Sources))
                .Text(o.FirstTouch).Text(o.LastTouch).Text(o.Path);
        }

        return csv;
    }

    private static int Rank(string source)
    {
        var rank = Array.IndexOf(s_authority, source);
        return rank < 0 ? s_authority.Length : rank;
    }
}
