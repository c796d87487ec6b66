namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// What an ad platform's spend is joined to in attribution reports. The channel is a GA4 default channel
/// group name, the same strings the channel classifier writes to events, so spend meets attributed revenue
/// by channel; the source is the utm_source that platform's ads normally carry (for groupBy=source).
/// Keys are lower-case platform names.
/// </summary>
public static class SpendPlatforms
{
    public const string PaidSearch = "Paid Search";
    public const string PaidSocial = "Paid Social";
    public const string PaidVideo = "Paid Video";
    public const string PaidOther = "Paid Other";

    /// <summary>Platform → channel; any other platform is <see cref="PaidOther"/>.</summary>
    public static IReadOnlyDictionary<string, string> Channels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["google"] = PaidSearch,
        ["google_ads"] = PaidSearch,
        ["adwords"] = PaidSearch,
        ["bing"] = PaidSearch,
        ["microsoft"] = PaidSearch,
        ["microsoft_ads"] = PaidSearch,
        ["meta"] = PaidSocial,
        ["facebook"] = PaidSocial,
        ["instagram"] = PaidSocial,
        ["tiktok"] = PaidSocial,
        ["snapchat"] = PaidSocial,
        ["pinterest"] = PaidSocial,
        ["linkedin"] = PaidSocial,
        ["twitter"] = PaidSocial,
        ["x"] = PaidSocial,
        ["reddit"] = PaidSocial,
        ["youtube"] = PaidVideo,
    };

    /// <summary>Platform → utm_source where it differs from the platform name itself.</summary>
    public static IReadOnlyDictionary<string, string> Sources { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["google_ads"] = "google",
        ["adwords"] = "google",
        ["microsoft"] = "bing",
        ["microsoft_ads"] = "bing",
        ["meta"] = "facebook",
    };

    /// <summary>Channel of a platform's spend when the row names none.</summary>
    public static string ChannelOf(string platform) =>
        Channels.TryGetValue(platform.ToLowerInvariant(), out var channel) ? channel : PaidOther;

    /// <summary>utm_source of a platform's ads: the mapped source, else the platform lower-cased.</summary>
    public static string SourceOf(string platform)
    {
        var key = platform.ToLowerInvariant();
        return Sources.TryGetValue(key, out var source) ? source : key;
    }
}
