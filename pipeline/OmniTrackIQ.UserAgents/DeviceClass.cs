namespace OmniTrackIQ.UserAgents;

/// <summary>Coarse device class stored on every event (see <see cref="DeviceClassifier"/> for the rules).</summary>
public enum DeviceClass
{
    Other,
    Desktop,
    Mobile,
    Tablet,
    Bot,
}

/// <summary>The lower-case names stored in the events table; interned literals, so no allocation.</summary>
public static class DeviceClassNames
{
    public const string Other = "other";
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Bot = "bot";

    public static string ToName(this DeviceClass deviceClass) => deviceClass switch
    {
        DeviceClass.Desktop => Desktop,
        DeviceClass.Mobile => Mobile,
        DeviceClass.Tablet => Tablet,
        DeviceClass.Bot => Bot,
        _ => Other,
    };
}
