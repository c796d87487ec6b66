namespace OmniTrackIQ.UserAgents.Tests;

[Collection(ParserCollection.Name)]
public sealed class DeviceClassTests(ParserFixture fixture)
{
    private readonly UserAgentParser _parser = fixture.Parser;

    [Theory]
    [InlineData(SampleUserAgents.ChromeWindows, "desktop")]
    [InlineData(SampleUserAgents.EdgeWindows, "desktop")]
    [InlineData(SampleUserAgents.SafariMac, "desktop")]
    [InlineData(SampleUserAgents.FirefoxLinux, "desktop")]
    [InlineData(SampleUserAgents.ChromeOs, "desktop")]
    [InlineData(SampleUserAgents.SafariIPhone, "mobile")]
    [InlineData(SampleUserAgents.ChromePixel, "mobile")]
    [InlineData(SampleUserAgents.SamsungInternetPhone, "mobile")]
    [InlineData(SampleUserAgents.CubotPhone, "mobile")]
    [InlineData(SampleUserAgents.WindowsPhone, "mobile")]
    [InlineData(SampleUserAgents.SafariIPad, "tablet")]
    [InlineData(SampleUserAgents.GalaxyTab, "tablet")]
    [InlineData(SampleUserAgents.KindleFire, "tablet")]
    [InlineData(SampleUserAgents.AndroidTabletNoMobile, "tablet")]
    [InlineData(SampleUserAgents.Googlebot, "bot")]
    [InlineData(SampleUserAgents.GooglebotSmartphone, "bot")]
    [InlineData(SampleUserAgents.PlayStation, "other")]
    [InlineData(SampleUserAgents.SamsungSmartTv, "other")]
    [InlineData(SampleUserAgents.AndroidTv, "other")]
    [InlineData("SomeUnknownApp/1.0", "other")]
    public void Device_class_follows_the_documented_rules(string userAgent, string expected)
    {
        var info = _parser.Parse(userAgent);

        Assert.True(expected == info.DeviceClassName, $"expected {expected}, got {info}");
        Assert.Equal(expected, info.DeviceClass.ToName());
    }

    [Fact]
    public void A_parsed_Chrome_on_Windows_carries_families_and_precomputed_versions()
    {
        var info = _parser.Parse(SampleUserAgents.ChromeWindows);

        Assert.Equal(new BrowserInfo("Chrome", "120", "0", "6099", "130"), info.Browser);
        Assert.Equal("120.0.6099", info.Browser.Version);
        Assert.Equal("Windows", info.Os.Family);
        Assert.Equal("10", info.Os.Version);
        Assert.Equal(new DeviceInfo("Other", null, null), info.Device);
        Assert.Equal(SampleUserAgents.ChromeWindows, info.UserAgent);
    }

    [Fact]
    public void An_iPhone_parses_to_Apple_iPhone_on_iOS()
    {
        var info = _parser.Parse(SampleUserAgents.SafariIPhone);

        Assert.Equal("Mobile Safari", info.Browser.Family);
        Assert.Equal("17.2", info.Browser.Version);
        Assert.Equal("iOS", info.Os.Family);
        Assert.Equal("17.2.1", info.Os.Version);
        Assert.Equal(new DeviceInfo("iPhone", "Apple", "iPhone"), info.Device);
    }
}
