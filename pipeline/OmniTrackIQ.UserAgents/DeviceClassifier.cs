namespace OmniTrackIQ.UserAgents;

/// <summary>
/// Derives the coarse <see cref="DeviceClass"/> from a parse. ua-parser has no device type, so these
/// are heuristics over its output and the raw UA, applied in order (first rule wins):
/// <list type="number">
/// <item><b>bot</b> — <see cref="BotDetector"/> said so (device family Spider included).</item>
/// <item><b>other</b> for TVs and set-top boxes — device family/brand names a TV (ua-parser files some
/// Android TVs under Generic_Android_Tablet, e.g. Sony BRAVIA), or the UA says SmartTV, Android TV,
/// GoogleTV or CrKey (Chromecast).</item>
/// <item><b>tablet</b> — device family, brand or model names a tablet (iPad, Kindle, "Tablet",
/// Generic_Android_Tablet, PlayBook, Nexus 7/9/10, Galaxy Tab "SM-T"/"GT-P"), the OS is BlackBerry
/// Tablet OS, the UA carries Amazon's Silk browser or a "(Tablet;" token (Firefox OS), or it is
/// Android without "Mobile" (Google's convention for Android tablets).</item>
/// <item><b>mobile</b> — the UA says "Mobi" (the convention every phone browser follows), the device is
/// an iPhone/iPod or a generic smartphone/feature phone, or the OS is a phone OS (iOS, Android,
/// Windows Phone/Mobile, BlackBerry OS, Symbian, KaiOS, Firefox OS, ...).</item>
/// <item><b>desktop</b> — a desktop OS (Windows, Mac OS X, Linux and its distributions, Chrome OS, the
/// BSDs, Solaris) on a device ua-parser leaves as Other or calls Mac.</item>
/// <item><b>other</b> — everything else: TVs, consoles, watches, cars, apps and unknowns.</item>
/// </list>
/// </summary>
internal static class DeviceClassifier
{
    private static readonly string[] s_tabletNames = ["iPad", "Kindle", "Tablet", "PlayBook", "Nexus 7", "Nexus 9", "Nexus 10"];
    private static readonly string[] s_tabletModelPrefixes = ["SM-T", "GT-P", "SM-X"];
    // Case-sensitive: "TV" must not match inside model names; AFT* are Amazon Fire TV models.
    private static readonly string[] s_tvNames = ["TV", "Inettv", "BRAVIA", "AFT", "Chromecast", "Roku"];
    private static readonly string[] s_phoneDevices = ["iPhone", "iPod", "Generic Smartphone", "Generic Feature Phone"];
    private static readonly string[] s_mobileOs =
    [
        "iOS", "Android", "Windows Phone", "Windows Mobile", "BlackBerry OS", "Symbian", "Nokia Series",
        "KaiOS", "Firefox OS", "Sailfish", "Tizen", "Bada", "webOS", "MeeGo", "Maemo", "HarmonyOS", "Brew", "BREW",
    ];
    private static readonly string[] s_desktopOs =
    [
        "Windows", "Mac OS X", "Mac OS", "Linux", "Ubuntu", "Debian", "Fedora", "Red Hat", "Gentoo", "Mandriva",
        "SUSE", "openSUSE", "Slackware", "Arch Linux", "Mint", "Kubuntu", "Xubuntu", "CentOS", "Chrome OS",
        "FreeBSD", "OpenBSD", "NetBSD", "BSD", "Solaris",
    ];

    public static DeviceClass Classify(string ua, OsInfo os, DeviceInfo device, bool isBot)
    {
        if (isBot)
        {
            return DeviceClass.Bot;
        }

        if (IsTv(ua, device))
        {
            return DeviceClass.Other;
        }

        if (IsTablet(ua, os, device))
        {
            return DeviceClass.Tablet;
        }

        if (Contains(ua, "Mobi") || EqualsAny(device.Family, s_phoneDevices) || StartsWithAny(os.Family, s_mobileOs))
        {
            return DeviceClass.Mobile;
        }

        if ((device.Family == ParsedDefaults.Other || device.Family == "Mac") && EqualsAny(os.Family, s_desktopOs))
        {
            return DeviceClass.Desktop;
        }

        return DeviceClass.Other;
    }

    private static bool IsTablet(string ua, OsInfo os, DeviceInfo device)
    {
        if (ContainsAny(device.Family, s_tabletNames)
            || (device.Model is { } model && (ContainsAny(model, s_tabletNames) || StartsWithAny(model, s_tabletModelPrefixes)))
            || (device.Brand is { } brand && brand.Contains("Tablet", StringComparison.OrdinalIgnoreCase))
            || os.Family == "BlackBerry Tablet OS"
            || Contains(ua, "Silk/")
            || Contains(ua, "(Tablet;"))
        {
            return true;
        }

        // Android phones say "Mobile" (Google's guidance to OEMs); Android without it is a tablet (TVs are out already).
        return os.Family == "Android" && !Contains(ua, "Mobile");
    }

    private static bool IsTv(string ua, DeviceInfo device) =>
        ContainsAny(device.Family, s_tvNames, StringComparison.Ordinal)
        || (device.Brand is { } brand && ContainsAny(brand, s_tvNames, StringComparison.Ordinal))
        || Contains(ua, "SmartTV") || Contains(ua, "Android TV") || Contains(ua, "GoogleTV") || Contains(ua, "CrKey");

    private static bool Contains(string value, string token) => value.Contains(token, StringComparison.OrdinalIgnoreCase);

    private static bool ContainsAny(string value, string[] tokens, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        foreach (var token in tokens)
        {
            if (value.Contains(token, comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(string value, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqualsAny(string value, string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (value == candidate)
            {
                return true;
            }
        }

        return false;
    }
}
