using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Pipeline.Tests.Orders;

/// <summary>The webhook bodies in Orders/Fixtures (see the README there), read as the raw bytes Shopify would send.</summary>
internal static class ShopifyFixtures
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Orders", "Fixtures", name));

    /// <summary>Maps a fixture and fails the test with the mapper's own reason when it does not map.</summary>
    public static OrderReport Map(string topic, string name)
    {
        var result = ShopifyOrderMapper.Map(topic, Read(name));
        Assert.True(result.Report is not null, $"{result.Field}: {result.Error}");
        return result.Report;
    }
}
