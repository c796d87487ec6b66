namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>The stored names of <see cref="OrderSource"/> (events.order_source).</summary>
public static class OrderSources
{
    public const string Pixel = "pixel";
    public const string ServerToServer = "s2s";
    public const string ShopifyWebhook = "shopify";

    /// <summary>
    /// The sources whose report decides an order over the pixel's, most authoritative first: the shop's webhook, then its
    /// server (S2S). An order "reported by the shop" has a report from one of them. Each store's SQL is generated from this.
    /// </summary>
    public static IReadOnlyList<string> ShopReported { get; } = [ShopifyWebhook, ServerToServer];

    /// <summary>A source's rank when reports of one order disagree, higher deciding: webhook 3, S2S 2, any other (the pixel) 1.</summary>
    public static int Authority(string? source)
    {
        for (var i = 0; i < ShopReported.Count; i++)
        {
            if (string.Equals(ShopReported[i], source, StringComparison.Ordinal)) { return ShopReported.Count + 1 - i; }
        }

        return 1;
    }

    public static string Name(OrderSource source) => source switch
    {
        OrderSource.ServerToServer => ServerToServer,
        OrderSource.ShopifyWebhook => ShopifyWebhook,
        _ => Pixel,
    };
}
