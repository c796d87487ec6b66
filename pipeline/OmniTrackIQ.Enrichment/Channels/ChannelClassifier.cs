namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// GA4's default channel grouping as a pure function. First the event's traffic source is reduced to
/// GA4's (source, medium, campaign): UTMs when present (a click id fills a missing source or medium,
/// as auto-tagging does), else the click id's implied pair (gclid ⇒ google / cpc), else an external
/// referrer (host / referral), else (direct) / (none). Then GA4's rules run in GA4's order, first
/// match wins; see https://support.google.com/analytics/answer/9756891. Matching ignores case.
/// </summary>
public static class ChannelClassifier
{
    private const string DirectSource = "(direct)";
    private const string NotSet = "(not set)";
    private const string None = "(none)";
    private const string ReferralMedium = "referral";

    public static ChannelClassification Classify(in ChannelSignals signals)
    {
        var clickIndex = ClickIds.IndexOf(signals.ClickIdType.Trim());
        var source = signals.UtmSource.Trim();
        var medium = signals.UtmMedium.Trim();
        var campaign = signals.UtmCampaign.Trim();

        if (!source.IsEmpty || !medium.IsEmpty || clickIndex >= 0)
        {
            var click = clickIndex >= 0 ? ClickIds.All[clickIndex] : default;
            source = !source.IsEmpty ? source : click.Source ?? NotSet;
            medium = !medium.IsEmpty ? medium : click.Medium ?? NotSet;
        }
        else if (!signals.ReferrerHost.IsEmpty && !IsSelfReferral(signals))
        {
            source = signals.ReferrerHost;
            medium = ReferralMedium;
        }
        else
        {
            source = DirectSource;
            medium = None;
        }

        var channel = Group(source, medium, campaign);
        var platform = clickIndex >= 0 ? ClickIds.All[clickIndex].Platform : IsPaid(channel) ? PlatformOf(source) : null;
        return new ChannelClassification(channel, platform);
    }

    /// <summary>GA4's rules over an already derived source / medium / campaign, in GA4's order.</summary>
    internal static string Group(ReadOnlySpan<char> source, ReadOnlySpan<char> medium, ReadOnlySpan<char> campaign)
    {
        if (source.Equals(DirectSource, StringComparison.OrdinalIgnoreCase)
            && (medium.Equals(NotSet, StringComparison.OrdinalIgnoreCase) || medium.Equals(None, StringComparison.OrdinalIgnoreCase)))
        {
            return ChannelGroups.Direct;
        }

        if (campaign.Contains("cross-network", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.CrossNetwork;
        }

        var category = SourceCategories.Of(source);
        var paid = MediumRules.IsPaid(medium);
        if (paid)
        {
            if (category == SourceCategory.Shopping || MediumRules.IsShoppingCampaign(campaign))
            {
                return ChannelGroups.PaidShopping;
            }

            switch (category)
            {
                case SourceCategory.Search:
                    return ChannelGroups.PaidSearch;
                case SourceCategory.Social:
                    return ChannelGroups.PaidSocial;
                case SourceCategory.Video:
                    return ChannelGroups.PaidVideo;
            }
        }

        if (MediumRules.IsDisplay(medium))
        {
            return ChannelGroups.Display;
        }

        if (paid)
        {
            return ChannelGroups.PaidOther;
        }

        if (category == SourceCategory.Shopping || MediumRules.IsShoppingCampaign(campaign))
        {
            return ChannelGroups.OrganicShopping;
        }

        if (category == SourceCategory.Social || MediumRules.IsSocial(medium))
        {
            return ChannelGroups.OrganicSocial;
        }

        if (category == SourceCategory.Video || medium.Contains("video", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.OrganicVideo;
        }

        if (category == SourceCategory.Search || medium.Equals("organic", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.OrganicSearch;
        }

        return OtherGroup(source, medium);
    }

    // The rules after the source-category ones: plain medium (and a few source) names.
    private static string OtherGroup(ReadOnlySpan<char> source, ReadOnlySpan<char> medium)
    {
        if (MediumRules.IsReferral(medium))
        {
            return ChannelGroups.Referral;
        }

        if (MediumRules.IsEmail(source) || MediumRules.IsEmail(medium))
        {
            return ChannelGroups.Email;
        }

        if (medium.Equals("affiliate", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.Affiliates;
        }

        if (medium.Equals("audio", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.Audio;
        }

        if (source.Equals("sms", StringComparison.OrdinalIgnoreCase) || medium.Equals("sms", StringComparison.OrdinalIgnoreCase))
        {
            return ChannelGroups.Sms;
        }

        if (MediumRules.IsMobilePush(source, medium))
        {
            return ChannelGroups.MobilePush;
        }

        return ChannelGroups.Unassigned;
    }

    private static bool IsSelfReferral(in ChannelSignals signals)
    {
        var referrer = signals.ReferrerHost;
        if (UrlParts.IsSameSite(referrer, signals.LandingHost))
        {
            return true;
        }

        if (signals.OwnDomains is { } own)
        {
            for (var i = 0; i < own.Count; i++)
            {
                if (UrlParts.IsSameSite(referrer, own[i]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsPaid(string channel) => channel is ChannelGroups.PaidSearch or ChannelGroups.PaidSocial
        or ChannelGroups.PaidVideo or ChannelGroups.PaidShopping or ChannelGroups.PaidOther or ChannelGroups.Display
        or ChannelGroups.CrossNetwork;

    // Paid traffic tagged only with UTMs: name the platform from well-known source names so spend joins work.
    private static string? PlatformOf(ReadOnlySpan<char> source)
    {
        source = source.Trim();
        if (source.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            source = source[4..];
        }

        var dot = source.IndexOf('.');
        var brand = dot > 0 ? source[..dot] : source;
        return brand switch
        {
            _ when Is(brand, "google") || Is(brand, "youtube") || Is(brand, "adwords") => AdPlatforms.GoogleAds,
            _ when Is(brand, "bing") || Is(brand, "microsoft") => AdPlatforms.MicrosoftAds,
            _ when Is(brand, "facebook") || Is(brand, "fb") || Is(brand, "instagram") || Is(brand, "ig") || Is(brand, "meta") => AdPlatforms.Meta,
            _ when Is(brand, "tiktok") => AdPlatforms.TikTok,
            _ when Is(brand, "linkedin") => AdPlatforms.LinkedIn,
            _ when Is(brand, "snapchat") => AdPlatforms.Snapchat,
            _ when Is(brand, "pinterest") => AdPlatforms.Pinterest,
            _ when Is(brand, "twitter") || Is(brand, "x") => AdPlatforms.X,
            _ => null,
        };
    }

    private static bool Is(ReadOnlySpan<char> value, string name) => value.Equals(name, StringComparison.OrdinalIgnoreCase);
}
