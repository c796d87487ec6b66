namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>Result of <see cref="ChannelClassifier.Classify"/>: a <see cref="ChannelGroups"/> name and, when known, an <see cref="AdPlatforms"/> name.</summary>
public readonly record struct ChannelClassification(string Channel, string? AdPlatform);

/// <summary>
/// The traffic-source facts of one event. Spans so callers can pass slices of the stored strings
/// (a host cut out of a URL) without allocating.
/// </summary>
public readonly ref struct ChannelSignals
{
    public ReadOnlySpan<char> UtmSource { get; init; }
    public ReadOnlySpan<char> UtmMedium { get; init; }
    public ReadOnlySpan<char> UtmCampaign { get; init; }
    /// <summary>Name of the click id parameter (gclid, fbclid, ...), any case.</summary>
    public ReadOnlySpan<char> ClickIdType { get; init; }
    /// <summary>Host of the referrer URL (see <see cref="UrlParts.Host"/>).</summary>
    public ReadOnlySpan<char> ReferrerHost { get; init; }
    /// <summary>Host of the landing page URL.</summary>
    public ReadOnlySpan<char> LandingHost { get; init; }
    /// <summary>The workspace's own hosts; referrers on them (or their subdomains) are self-referrals.</summary>
    public IReadOnlyList<string>? OwnDomains { get; init; }
}
