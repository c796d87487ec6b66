using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

/// <summary>The order-source authority both stores' SQL is generated from (<see cref="OrderSources"/>).</summary>
public sealed class OrderSourceSqlTests
{
    [Theory]
    [InlineData(OrderSources.ShopifyWebhook, 3)]
    [InlineData(OrderSources.ServerToServer, 2)]
    [InlineData(OrderSources.Pixel, 1)]
    [InlineData("erp", 1)]
    [InlineData(null, 1)]
    public void The_webhook_outranks_s2s_which_outranks_the_pixel_and_anything_else(string? source, int authority)
    {
        Assert.Equal(authority, OrderSources.Authority(source));
    }

    [Fact]
    public void Each_store_ranks_and_lists_the_shop_sources_as_the_definition_says()
    {
        Assert.Equal("CASE src WHEN 'shopify' THEN 3 WHEN 's2s' THEN 2 ELSE 1 END", Store.DuckDb.Orders.OrderSourceSql.Authority("src"));
        Assert.Equal("multiIf(src = 'shopify', 3, src = 's2s', 2, 1)", Store.ClickHouse.Orders.OrderSourceSql.Authority("src"));
        Assert.Equal("('shopify', 's2s')", Store.DuckDb.Orders.OrderSourceSql.ShopReported);
        Assert.Equal("('shopify', 's2s')", Store.ClickHouse.Orders.OrderSourceSql.ShopReported);
    }
}
