namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>The stored names of <see cref="OrderSource"/> (events.order_source).</summary>
public static class OrderSources
{
    public const string Pixel = "pixel";
    public const string ServerToServer = "s2s";
    public const string ShopifyWebhook = "shopify";

    public static string Name(OrderSource source) => source switch
    {
        OrderSource.ServerToServer => ServerToServer,
        OrderSource.ShopifyWebhook => ShopifyWebhook,
        _ => Pixel,
    };
}
