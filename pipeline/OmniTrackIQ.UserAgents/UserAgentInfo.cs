namespace OmniTrackIQ.UserAgents;

/// <summary>
/// The immutable result of parsing one User-Agent. Instances are shared between threads and events
/// through the cache, so every string an enricher copies onto an event (including the version
/// strings and the device class name) is computed once here.
/// </summary>
public sealed class UserAgentInfo
{
    internal UserAgentInfo(string? userAgent, BrowserInfo browser, OsInfo os, DeviceInfo device, bool isBot, DeviceClass deviceClass)
    {
        UserAgent = userAgent;
        Browser = browser;
        Os = os;
        Device = device;
        IsBot = isBot;
        DeviceClass = deviceClass;
        DeviceClassName = deviceClass.ToName();
    }

    /// <summary>The User-Agent as matched: the raw header cut to <see cref="UserAgentParser.MaxUserAgentLength"/> chars; null when missing.</summary>
    public string? UserAgent { get; }

    public BrowserInfo Browser { get; }

    public OsInfo Os { get; }

    public DeviceInfo Device { get; }

    /// <summary>Crawler, monitor, link-preview fetcher, headless browser, HTTP library, or no User-Agent at all.</summary>
    public bool IsBot { get; }

    public DeviceClass DeviceClass { get; }

    /// <summary><see cref="DeviceClass"/> as stored: desktop, mobile, tablet, bot or other.</summary>
    public string DeviceClassName { get; }

    /// <summary>False when a regex timed out during the parse: the result is "Other" by accident, not by rule.</summary>
    internal bool Cacheable { get; init; } = true;

    public override string ToString() =>
        $"{Browser.Family} {Browser.Version} / {Os.Family} {Os.Version} / {Device.Family} ({DeviceClassName}{(IsBot ? ", bot" : "")})";
}
