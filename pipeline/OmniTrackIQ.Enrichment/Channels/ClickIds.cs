namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// Ad click ids the collector recognises, with the platform and the source / medium GA4-style
/// auto-tagging implies. All but fbclid are added only to ad clicks, so they imply a paid medium.
/// fbclid is appended by Facebook and Instagram to every outbound link, organic posts included, so
/// on its own it means an organic facebook visit; paid Meta traffic is told apart by its UTMs.
/// </summary>
internal static class ClickIds
{
    internal readonly record struct ClickId(string Name, string Platform, string Source, string Medium);

    // When several appear in one landing URL, the first in the query string wins (see UrlCampaign).
    internal static readonly ClickId[] All =
    [
        new("gclid", AdPlatforms.GoogleAds, "google", "cpc"),
        new("gbraid", AdPlatforms.GoogleAds, "google", "cpc"),
        new("wbraid", AdPlatforms.GoogleAds, "google", "cpc"),
        new("msclkid", AdPlatforms.MicrosoftAds, "bing", "cpc"),
        new("fbclid", AdPlatforms.Meta, "facebook", "referral"),
        new("ttclid", AdPlatforms.TikTok, "tiktok", "cpc"),
        new("li_fat_id", AdPlatforms.LinkedIn, "linkedin", "cpc"),
        new("ScCid", AdPlatforms.Snapchat, "snapchat", "cpc"),
        new("epik", AdPlatforms.Pinterest, "pinterest", "cpc"),
        new("twclid", AdPlatforms.X, "twitter", "cpc"),
    ];

    /// <summary>Index into <see cref="All"/> of a click id name (any case), or -1.</summary>
    public static int IndexOf(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return -1;
        }

        for (var i = 0; i < All.Length; i++)
        {
            if (name.Equals(All[i].Name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
