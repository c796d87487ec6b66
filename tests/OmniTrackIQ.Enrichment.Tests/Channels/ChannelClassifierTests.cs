using OmniTrackIQ.Enrichment.Channels;

namespace OmniTrackIQ.Enrichment.Tests.Channels;

/// <summary>One row per GA4 default channel rule (and its edges), then the signal-derivation rules.</summary>
public sealed class ChannelClassifierTests
{
    private static ChannelClassification Classify(
        string? source = null, string? medium = null, string? campaign = null, string? clickId = null,
        string? referrer = null, string landing = "shop.example", IReadOnlyList<string>? own = null) =>
        ChannelClassifier.Classify(new ChannelSignals
        {
            UtmSource = source,
            UtmMedium = medium,
            UtmCampaign = campaign,
            ClickIdType = clickId,
            ReferrerHost = referrer,
            LandingHost = landing,
            OwnDomains = own,
        });

    [Theory]
    // Direct: source (direct) and medium (not set) / (none); or nothing at all.
    [InlineData(null, null, null, ChannelGroups.Direct)]
    [InlineData("(direct)", "(none)", null, ChannelGroups.Direct)]
    [InlineData("(direct)", "(not set)", null, ChannelGroups.Direct)]
    [InlineData("(DIRECT)", null, null, ChannelGroups.Direct)]
    // Cross-network: campaign contains cross-network, before any paid rule.
    [InlineData("google", "cpc", "pmax cross-network q4", ChannelGroups.CrossNetwork)]
    // Paid Shopping: shopping source or shop campaign, with a paid medium.
    [InlineData("amazon", "cpc", null, ChannelGroups.PaidShopping)]
    [InlineData("amazon.de", "paid", null, ChannelGroups.PaidShopping)]
    [InlineData("google", "cpc", "summer-shop", ChannelGroups.PaidShopping)]
    [InlineData("google", "cpc", "eshop", ChannelGroups.PaidShopping)]
    [InlineData("google", "cpc", "Shopping Brand", ChannelGroups.PaidShopping)]
    [InlineData("newsletter", "ppc", "shop", ChannelGroups.PaidShopping)]
    [InlineData("google", "cpc", "workshop", ChannelGroups.PaidSearch)] // "k" before shop: not a shop campaign
    // Paid Search: search source with paid medium (.*cp.*, ppc, retargeting, paid.*).
    [InlineData("google", "cpc", null, ChannelGroups.PaidSearch)]
    [InlineData("bing", "ppc", null, ChannelGroups.PaidSearch)]
    [InlineData("duckduckgo.com", "retargeting", null, ChannelGroups.PaidSearch)]
    [InlineData("www.google.co.uk", "paidsearch", null, ChannelGroups.PaidSearch)]
    [InlineData("yahoo", "CPC", null, ChannelGroups.PaidSearch)]
    // Paid Social.
    [InlineData("facebook", "paid_social", null, ChannelGroups.PaidSocial)]
    [InlineData("ig", "cpm", null, ChannelGroups.PaidSocial)] // cpm contains "cp": paid before display
    [InlineData("linkedin", "cpc", null, ChannelGroups.PaidSocial)]
    [InlineData("tiktok", "paid", null, ChannelGroups.PaidSocial)]
    // Paid Video.
    [InlineData("youtube", "cpv", null, ChannelGroups.PaidVideo)]
    [InlineData("vimeo.com", "paid-video", null, ChannelGroups.PaidVideo)]
    // Display: display-like medium (paid-looking "cpm" from an unknown source too).
    [InlineData("dv360", "display", null, ChannelGroups.Display)]
    [InlineData("partner", "banner", null, ChannelGroups.Display)]
    [InlineData("partner", "expandable", null, ChannelGroups.Display)]
    [InlineData("partner", "interstitial", null, ChannelGroups.Display)]
    [InlineData("google", "display", null, ChannelGroups.Display)]
    [InlineData("partner", "cpm", null, ChannelGroups.Display)]
    // Paid Other: paid medium from a source in no category.
    [InlineData("newsletter-partner", "cpc", null, ChannelGroups.PaidOther)]
    [InlineData("criteo", "retargeting", null, ChannelGroups.PaidOther)]
    [InlineData("outbrain", "paid", null, ChannelGroups.PaidOther)]
    // Organic Shopping: shopping source or shop campaign, non-paid medium.
    [InlineData("ebay", "referral", null, ChannelGroups.OrganicShopping)]
    [InlineData("partner", "referral", "winter_shop", ChannelGroups.OrganicShopping)]
    [InlineData("shop.app", null, null, ChannelGroups.OrganicShopping)]
    // Organic Social: social source or social medium.
    [InlineData("facebook", "referral", null, ChannelGroups.OrganicSocial)]
    [InlineData("t.co", null, null, ChannelGroups.OrganicSocial)]
    [InlineData("newsletter", "social", null, ChannelGroups.OrganicSocial)]
    [InlineData("x", "social-network", null, ChannelGroups.OrganicSocial)]
    [InlineData("x", "social-media", null, ChannelGroups.OrganicSocial)]
    [InlineData("x", "sm", null, ChannelGroups.OrganicSocial)]
    [InlineData("x", "social network", null, ChannelGroups.OrganicSocial)]
    [InlineData("x", "social media", null, ChannelGroups.OrganicSocial)]
    // Organic Video: video source or medium containing "video".
    [InlineData("youtube", "referral", null, ChannelGroups.OrganicVideo)]
    [InlineData("partner", "video_embed", null, ChannelGroups.OrganicVideo)]
    // Organic Search: search source or medium organic.
    [InlineData("google", "organic", null, ChannelGroups.OrganicSearch)]
    [InlineData("bing.com", "referral", null, ChannelGroups.OrganicSearch)]
    [InlineData("partner", "organic", null, ChannelGroups.OrganicSearch)]
    // Referral: medium referral, app or link.
    [InlineData("blog.example", "referral", null, ChannelGroups.Referral)]
    [InlineData("partner", "app", null, ChannelGroups.Referral)]
    [InlineData("partner", "link", null, ChannelGroups.Referral)]
    // Email: source or medium email|e-mail|e_mail|e mail.
    [InlineData("newsletter", "email", null, ChannelGroups.Email)]
    [InlineData("e-mail", "weekly", null, ChannelGroups.Email)]
    [InlineData("crm", "e_mail", null, ChannelGroups.Email)]
    [InlineData("crm", "E Mail", null, ChannelGroups.Email)]
    // Affiliates.
    [InlineData("awin", "affiliate", null, ChannelGroups.Affiliates)]
    // Audio.
    [InlineData("spotify-podcast", "audio", null, ChannelGroups.Audio)]
    // SMS: source or medium sms.
    [InlineData("sms", "text", null, ChannelGroups.Sms)]
    [InlineData("attentive", "sms", null, ChannelGroups.Sms)]
    // Mobile Push Notifications: medium ends with push / contains mobile or notification; source firebase.
    [InlineData("app", "web-push", null, ChannelGroups.MobilePush)]
    [InlineData("app", "mobile-inbox", null, ChannelGroups.MobilePush)]
    [InlineData("app", "notification", null, ChannelGroups.MobilePush)]
    [InlineData("firebase", "inapp", null, ChannelGroups.MobilePush)]
    // Unassigned: tagged, but no rule matches.
    [InlineData("partner", "newsletter-footer", null, ChannelGroups.Unassigned)]
    [InlineData("partner", null, null, ChannelGroups.Unassigned)]
    [InlineData(null, "flyer", null, ChannelGroups.Unassigned)]
    public void Utm_tags_follow_the_ga4_rules(string? source, string? medium, string? campaign, string expected) =>
        Assert.Equal(expected, Classify(source, medium, campaign).Channel);

    [Theory]
    [InlineData("gclid", ChannelGroups.PaidSearch, AdPlatforms.GoogleAds)]
    [InlineData("GBRAID", ChannelGroups.PaidSearch, AdPlatforms.GoogleAds)]
    [InlineData("wbraid", ChannelGroups.PaidSearch, AdPlatforms.GoogleAds)]
    [InlineData("msclkid", ChannelGroups.PaidSearch, AdPlatforms.MicrosoftAds)]
    [InlineData("fbclid", ChannelGroups.OrganicSocial, AdPlatforms.Meta)] // Facebook adds it to organic links too
    [InlineData("ttclid", ChannelGroups.PaidSocial, AdPlatforms.TikTok)]
    [InlineData("li_fat_id", ChannelGroups.PaidSocial, AdPlatforms.LinkedIn)]
    [InlineData("ScCid", ChannelGroups.PaidSocial, AdPlatforms.Snapchat)]
    [InlineData("epik", ChannelGroups.PaidSocial, AdPlatforms.Pinterest)]
    [InlineData("twclid", ChannelGroups.PaidSocial, AdPlatforms.X)]
    public void A_click_id_alone_implies_its_platform_and_channel(string clickId, string channel, string platform) =>
        Assert.Equal(new ChannelClassification(channel, platform), Classify(clickId: clickId, referrer: "www.google.com"));

    [Fact]
    public void Utm_tags_win_over_the_click_id_channel_but_keep_its_platform() =>
        Assert.Equal(new ChannelClassification(ChannelGroups.Display, AdPlatforms.GoogleAds), Classify("google", "display", clickId: "gclid"));

    [Fact]
    public void A_click_id_fills_a_missing_medium() =>
        Assert.Equal(ChannelGroups.PaidSearch, Classify(source: "google", clickId: "gclid").Channel);

    [Fact]
    public void Paid_fbclid_traffic_is_told_apart_by_its_utms() =>
        Assert.Equal(new ChannelClassification(ChannelGroups.PaidSocial, AdPlatforms.Meta), Classify("facebook", "paid", clickId: "fbclid"));

    [Theory]
    [InlineData("google", "cpc", AdPlatforms.GoogleAds)]
    [InlineData("bing", "cpc", AdPlatforms.MicrosoftAds)]
    [InlineData("instagram", "paid", AdPlatforms.Meta)]
    [InlineData("partner", "cpc", null)]
    [InlineData("google", "organic", null)] // organic traffic has no ad platform
    public void Paid_utm_traffic_names_the_platform_from_the_source(string source, string medium, string? platform) =>
        Assert.Equal(platform, Classify(source, medium).AdPlatform);

    [Theory]
    [InlineData("www.google.com", ChannelGroups.OrganicSearch)]
    [InlineData("google.co.uk", ChannelGroups.OrganicSearch)]
    [InlineData("www.google.com.br", ChannelGroups.OrganicSearch)]
    [InlineData("duckduckgo.com", ChannelGroups.OrganicSearch)]
    [InlineData("m.facebook.com", ChannelGroups.OrganicSocial)]
    [InlineData("l.instagram.com", ChannelGroups.OrganicSocial)]
    [InlineData("m.youtube.com", ChannelGroups.OrganicVideo)]
    [InlineData("www.amazon.de", ChannelGroups.OrganicShopping)]
    [InlineData("blog.partner.example", ChannelGroups.Referral)]
    [InlineData("docs.google.com", ChannelGroups.Referral)]          // GA4 lists exact sites only
    [InlineData("google.evil.example", ChannelGroups.Referral)]      // brand must sit on a TLD
    public void An_external_referrer_is_classified_by_its_host(string referrer, string expected) =>
        Assert.Equal(expected, Classify(referrer: referrer).Channel);

    [Theory]
    [InlineData("shop.example", "shop.example", null)]
    [InlineData("checkout.shop.example", "shop.example", null)]
    [InlineData("SHOP.EXAMPLE", "www.shop.example", null)]
    [InlineData("pay.shop-payments.example", "shop.example", "shop-payments.example")]
    [InlineData("shop-payments.example", "shop.example", "www.shop-payments.example")]
    public void A_self_referral_is_direct(string referrer, string landing, string? ownDomain) =>
        Assert.Equal(ChannelGroups.Direct, Classify(referrer: referrer, landing: landing, own: ownDomain is null ? null : [ownDomain]).Channel);

    [Theory]
    [InlineData("notshop.example", "shop.example")]     // suffix, but not a subdomain
    [InlineData("shop.example.evil", "shop.example")]
    public void A_lookalike_of_the_own_site_is_a_referral(string referrer, string landing) =>
        Assert.Equal(ChannelGroups.Referral, Classify(referrer: referrer, landing: landing).Channel);

    [Fact]
    public void A_self_referral_with_utm_tags_uses_the_tags() =>
        Assert.Equal(ChannelGroups.Email, Classify("newsletter", "email", referrer: "shop.example").Channel);
}
