using System.Buffers;

namespace OmniTrackIQ.UserAgents;

/// <summary>
/// Decides <c>isBot</c> for a parsed User-Agent. A UA is a bot when
/// <list type="number">
/// <item>ua-parser says so: device family <c>Spider</c> (its catch-all spider rule and the mobile
/// spider rules) or browser family <c>Spider</c>; or</item>
/// <item>it contains one of <see cref="Tokens"/> (case-insensitive): crawlers ua-parser files under a
/// real device, headless/automated browsers, uptime monitors, link-preview fetchers and HTTP
/// libraries — none of which a person browsing a shop sends; or</item>
/// <item>it is missing or blank (handled by <see cref="UserAgentParser.Parse"/>).</item>
/// </list>
/// Tokens are specific on purpose: a bare "bot" would flag Cubot phones, so the generic rule is left
/// to ua-parser's spider regex, which only runs once every real device rule has failed.
/// </summary>
internal static class BotDetector
{
    /// <summary>Substrings that mark automated traffic; matched ordinal-ignore-case in one vectorised pass.</summary>
    internal static readonly string[] Tokens =
    [
        // search and AI crawlers, SEO tools (the "bot/" form: Googlebot/2.1, bingbot/2.0, AhrefsBot/7.0, ...)
        "bot/", "bot;", "crawler", "spider", "Slurp", "Applebot", "GPTBot", "ClaudeBot", "Bytespider",
        "Google-InspectionTool", "Google-PageRenderer", "Mediapartners-Google", "AdsBot-Google", "Lighthouse",
        // headless and automated browsers
        "HeadlessChrome", "Headless", "PhantomJS", "SlimerJS", "Puppeteer", "Playwright", "Selenium", "webdriver",
        "PTST/", "GTmetrix",
        // uptime and synthetic monitoring
        "Pingdom", "UptimeRobot", "StatusCake", "Datadog", "NewRelicPinger", "NewRelicSynthetics", "New Relic",
        "Site24x7", "Catchpoint", "Uptime-Kuma", "Better Uptime", "Freshping", "Checkly", "HetrixTools",
        "check_http", "Zabbix", "monitis",
        // link-preview fetchers
        "facebookexternalhit", "facebookcatalog", "Twitterbot", "Slackbot", "Slack-ImgProxy", "WhatsApp",
        "Discordbot", "LinkedInBot", "TelegramBot", "SkypeUriPreview", "Pinterestbot", "redditbot", "Embedly",
        "vkShare", "Iframely", "MetaInspector", "Snapchat-Link",
        // HTTP clients and libraries
        "curl/", "Wget/", "python-requests", "Python-urllib", "python-httpx", "aiohttp", "Go-http-client",
        "Java/", "Apache-HttpClient", "okhttp", "axios/", "node-fetch", "undici", "got (", "libwww-perl",
        "LWP::Simple", "HTTPie/", "PostmanRuntime", "insomnia/", "Scrapy", "Guzzle", "Faraday v", "Ruby",
        "RestSharp", "reqwest", "Dart/", "WinHttp", "WindowsPowerShell", "http.rb",
    ];

    private static readonly SearchValues<string> s_tokens = SearchValues.Create(Tokens, StringComparison.OrdinalIgnoreCase);

    public const string SpiderFamily = "Spider";

    public static bool IsBot(string ua, BrowserInfo browser, DeviceInfo device) =>
        device.Family == SpiderFamily
        || browser.Family == SpiderFamily
        || ContainsBotToken(ua);

    public static bool ContainsBotToken(ReadOnlySpan<char> ua) => ua.IndexOfAny(s_tokens) >= 0;
}
