using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Store.ClickHouse.Orders;

/// <summary>The order-source rules of <see cref="OrderSources"/> in ClickHouse SQL, generated from that one definition.</summary>
internal static class OrderSourceSql
{
    /// <summary>The rank of the source in <paramref name="column"/> (<see cref="OrderSources.Authority"/>).</summary>
    public static string Authority(string column) =>
        $"multiIf({string.Concat(OrderSources.ShopReported.Select(s => $"{column} = {SqlLiteral.String(s)}, {OrderSources.Authority(s)}, "))}{OrderSources.Authority(null)})";

    /// <summary>The shop's sources as an SQL list, for <c>source IN …</c> (<see cref="OrderSources.ShopReported"/>).</summary>
    public static string ShopReported { get; } = $"({string.Join(", ", OrderSources.ShopReported.Select(SqlLiteral.String))})";
}
