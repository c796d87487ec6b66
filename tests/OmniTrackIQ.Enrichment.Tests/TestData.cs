namespace OmniTrackIQ.Enrichment.Tests;

internal static class TestData
{
    public static string GeoIp(string fileName) => Path.Combine(AppContext.BaseDirectory, "geoip", fileName);
}
