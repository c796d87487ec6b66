namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// One day of one campaign's ad spend on one platform (DESIGN table <c>ad_spend</c>, without the workspace),
/// at campaign level or, when the platform's export gives them, at ad-group or ad level.
/// <paramref name="Platform"/> is lower-case; <paramref name="Channel"/> is the override or <see cref="SpendPlatforms.ChannelOf"/>;
/// <paramref name="Campaign"/> is the campaign's name.
/// </summary>
public sealed record SpendRow(
    DateOnly Date,
    string Platform,
    string Channel,
    string Campaign,
    decimal Spend,
    string Currency,
    long? Impressions,
    long? Clicks)
{
    /// <summary>The platform's campaign id ("" when the source has none); ad links often carry it as utm_campaign.</summary>
    public string CampaignId { get; init; } = "";

    /// <summary>Ad group (Google ad group, Meta ad set, TikTok ad group) id and name; "" at campaign level.</summary>
    public string AdGroupId { get; init; } = "";

    public string AdGroup { get; init; } = "";

    /// <summary>Ad id and name; "" above ad level.</summary>
    public string AdId { get; init; } = "";

    public string Ad { get; init; } = "";

    /// <summary>
    /// The row's currency is not the shop's (<see cref="SpendCurrency"/>): it is kept, but no spend total, ROAS or
    /// CPA adds it to the shop's money.
    /// </summary>
    public bool CurrencyFlagged { get; init; }
}
