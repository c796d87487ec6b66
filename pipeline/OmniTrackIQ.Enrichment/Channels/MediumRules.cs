namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// GA4's medium / campaign conditions, hand-written over spans instead of Regex (no allocation, no
/// regex engine on the hot path). Each method names the GA4 condition it implements.
/// </summary>
internal static class MediumRules
{
    /// <summary>Medium matches regex <c>^(.*cp.*|ppc|retargeting|paid.*)$</c>.</summary>
    public static bool IsPaid(ReadOnlySpan<char> medium) =>
        medium.Contains("cp", StringComparison.OrdinalIgnoreCase)
        || medium.Equals("ppc", StringComparison.OrdinalIgnoreCase)
        || medium.Equals("retargeting", StringComparison.OrdinalIgnoreCase)
        || medium.StartsWith("paid", StringComparison.OrdinalIgnoreCase);

    /// <summary>Medium is one of ("display", "banner", "expandable", "interstitial", "cpm").</summary>
    public static bool IsDisplay(ReadOnlySpan<char> medium) =>
        Is(medium, "display") || Is(medium, "banner") || Is(medium, "expandable") || Is(medium, "interstitial") || Is(medium, "cpm");

    /// <summary>Campaign name matches regex <c>^(.*(([^a-df-z]|^)shop|shopping).*)$</c>: "shopping" anywhere, or "shop" at the start or after anything but the letters a-d and f-z ("eshop" and "summer-shop" yes, "workshop" no).</summary>
    public static bool IsShoppingCampaign(ReadOnlySpan<char> campaign)
    {
        if (campaign.Contains("shopping", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var offset = 0;
        while (offset < campaign.Length)
        {
            var at = campaign[offset..].IndexOf("shop", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            at += offset;
            if (at == 0)
            {
                return true;
            }

            var before = char.ToLowerInvariant(campaign[at - 1]);
            if (before == 'e' || before is < 'a' or > 'z')
            {
                return true;
            }

            offset = at + 1;
        }

        return false;
    }

    /// <summary>Medium is one of ("social", "social-network", "social-media", "sm", "social network", "social media").</summary>
    public static bool IsSocial(ReadOnlySpan<char> medium) =>
        Is(medium, "social") || Is(medium, "social-network") || Is(medium, "social-media") || Is(medium, "sm")
        || Is(medium, "social network") || Is(medium, "social media");

    /// <summary>Medium is one of ("referral", "app", "link").</summary>
    public static bool IsReferral(ReadOnlySpan<char> medium) => Is(medium, "referral") || Is(medium, "app") || Is(medium, "link");

    /// <summary>Value is one of email|e-mail|e_mail|e mail.</summary>
    public static bool IsEmail(ReadOnlySpan<char> value) =>
        Is(value, "email") || Is(value, "e-mail") || Is(value, "e_mail") || Is(value, "e mail");

    /// <summary>Medium ends with "push", or contains "mobile" or "notification", or source is "firebase".</summary>
    public static bool IsMobilePush(ReadOnlySpan<char> source, ReadOnlySpan<char> medium) =>
        medium.EndsWith("push", StringComparison.OrdinalIgnoreCase)
        || medium.Contains("mobile", StringComparison.OrdinalIgnoreCase)
        || medium.Contains("notification", StringComparison.OrdinalIgnoreCase)
        || Is(source, "firebase");

    private static bool Is(ReadOnlySpan<char> value, string name) => value.Equals(name, StringComparison.OrdinalIgnoreCase);
}
