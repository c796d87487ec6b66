namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// One day of one campaign's ad spend on one platform (DESIGN table <c>ad_spend</c>, without the workspace).
/// <paramref name="Platform"/> is lower-case; <paramref name="Channel"/> is the override or <see cref="SpendPlatforms.ChannelOf"/>.
/// </summary>
public sealed record SpendRow(
    DateOnly Date,
    string Platform,
    string Channel,
    string Campaign,
    decimal Spend,
    string Currency,
    long? Impressions,
    long? Clicks);
