namespace OmniTrackIQ.UserAgents.Tests;

[Collection(ParserCollection.Name)]
public sealed class BotDetectionTests(ParserFixture fixture)
{
    private readonly UserAgentParser _parser = fixture.Parser;

    [Theory]
    // search and AI crawlers (ua-parser's Spider device, or our tokens)
    [InlineData(SampleUserAgents.Googlebot)]
    [InlineData(SampleUserAgents.GooglebotSmartphone)]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)")]
    // headless and automated browsers
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse")]
    // uptime and synthetic monitoring
    [InlineData("Mozilla/5.0 (compatible; Pingdom.com_bot_version_1.4_(http://www.pingdom.com/))")]
    [InlineData("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.84 Safari/537.36 StatusCake")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 DatadogSynthetics")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Datadog/Synthetics")]
    [InlineData("NewRelicPinger/1.0 (1234567)")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 (compatible; New Relic Synthetics)")]
    // link-preview fetchers
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("Twitterbot/1.0")]
    [InlineData("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [InlineData("WhatsApp/2.23.20.0 A")]
    [InlineData("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)")]
    [InlineData("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)")]
    [InlineData("TelegramBot (like TwitterBot)")]
    [InlineData("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com")]
    // HTTP clients and libraries
    [InlineData("curl/8.5.0")]
    [InlineData("Wget/1.21.4")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Python-urllib/3.11")]
    [InlineData("Go-http-client/2.0")]
    [InlineData("Java/17.0.9")]
    [InlineData("okhttp/4.12.0")]
    [InlineData("axios/1.6.2")]
    [InlineData("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)")]
    [InlineData("Apache-HttpClient/4.5.14 (Java/17.0.9)")]
    [InlineData("PostmanRuntime/7.36.0")]
    public void AutomatedClientsAreBots(string userAgent)
    {
        var info = _parser.Parse(userAgent);

        Assert.True(info.IsBot, $"not flagged: {info}");
        Assert.Equal(DeviceClass.Bot, info.DeviceClass);
        Assert.Equal("bot", info.DeviceClassName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_blank_user_agent_is_a_bot(string? userAgent)
    {
        var info = _parser.Parse(userAgent);

        Assert.True(info.IsBot);
        Assert.Equal(DeviceClass.Bot, info.DeviceClass);
        Assert.Null(info.UserAgent);
        Assert.Equal("Other", info.Browser.Family);
    }

    [Theory]
    [InlineData(SampleUserAgents.ChromeWindows)]
    [InlineData(SampleUserAgents.EdgeWindows)]
    [InlineData(SampleUserAgents.SafariMac)]
    [InlineData(SampleUserAgents.FirefoxLinux)]
    [InlineData(SampleUserAgents.ChromeOs)]
    [InlineData(SampleUserAgents.SafariIPhone)]
    [InlineData(SampleUserAgents.ChromePixel)]
    [InlineData(SampleUserAgents.SamsungInternetPhone)]
    [InlineData(SampleUserAgents.CubotPhone)] // "bot" inside a phone brand must not count
    [InlineData(SampleUserAgents.SafariIPad)]
    [InlineData(SampleUserAgents.GalaxyTab)]
    [InlineData(SampleUserAgents.KindleFire)]
    [InlineData(SampleUserAgents.PlayStation)]
    public void PeopleBrowsingAreNotBots(string userAgent)
    {
        var info = _parser.Parse(userAgent);

        Assert.False(info.IsBot, $"flagged: {info}");
    }

    [Fact]
    public void Mainstream_browsers_of_the_reference_suite_are_not_flagged()
    {
        // Every test_ua.yaml case that the reference parses as a mainstream browser is a person's browser,
        // so none may trip a bot token (64 cases today: a broad false-positive check).
        string[] families = ["Chrome", "Chrome Mobile", "Chrome Mobile iOS", "Firefox", "Firefox Mobile", "Safari",
            "Mobile Safari", "Edge", "Edge Mobile", "Opera", "Samsung Internet", "IE", "IE Mobile"];
        var checkedCount = 0;
        var flagged = new List<string>();
        foreach (var testCase in ConformanceCases.Load("test_ua.yaml"))
        {
            if (Array.IndexOf(families, testCase["family"]) < 0)
            {
                continue;
            }

            checkedCount++;
            var ua = testCase["user_agent_string"]!;
            if (BotDetector.ContainsBotToken(ua))
            {
                flagged.Add(ua);
            }
        }

        Assert.True(checkedCount >= 50, $"only {checkedCount} mainstream cases found");
        Assert.Empty(flagged);
    }
}
