namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>GA4's default channel group names, spelled as GA4 reports them.</summary>
public static class ChannelGroups
{
    public const string Direct = "Direct";
    public const string CrossNetwork = "Cross-network";
    public const string PaidShopping = "Paid Shopping";
    public const string PaidSearch = "Paid Search";
    public const string PaidSocial = "Paid Social";
    public const string PaidVideo = "Paid Video";
    public const string Display = "Display";
    public const string PaidOther = "Paid Other";
    public const string OrganicShopping = "Organic Shopping";
    public const string OrganicSocial = "Organic Social";
    public const string OrganicVideo = "Organic Video";
    public const string OrganicSearch = "Organic Search";
    public const string Referral = "Referral";
    public const string Email = "Email";
    public const string Affiliates = "Affiliates";
    public const string Audio = "Audio";
    public const string Sms = "SMS";
    public const string MobilePush = "Mobile Push Notifications";
    public const string Unassigned = "Unassigned";
}

/// <summary>Ad platform names stored in <c>adPlatform</c> (and used to join ad spend).</summary>
public static class AdPlatforms
{
    public const string GoogleAds = "Google Ads";
    public const string MicrosoftAds = "Microsoft Ads";
    public const string Meta = "Meta";
    public const string TikTok = "TikTok";
    public const string LinkedIn = "LinkedIn";
    public const string Snapchat = "Snapchat";
    public const string Pinterest = "Pinterest";
    public const string X = "X";
}
