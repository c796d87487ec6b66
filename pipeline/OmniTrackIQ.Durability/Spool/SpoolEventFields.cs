using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// One event's fields in the binary record (<see cref="SpoolBatchCodec"/>, version 1): <see cref="Write"/> and
/// <see cref="Read"/> list them in the same order, and the round-trip tests compare every spooled property of
/// <see cref="TrackedEvent"/>, so a field added to the event and not here fails a test rather than vanishing from the spool.
/// Changing the order or the set makes a new record kind; this one must still read.
/// </summary>
internal static class SpoolEventFields
{
    public const int StringCount = 42;
    /// <summary>type, switches and presence bytes; two times; every string null.</summary>
    public const int MinEncodedBytes = 3 + (2 * SpoolBinaryWriter.TimeBytes) + StringCount;

    private const byte GlobalPrivacyControlBit = 1 << 0;
    private const byte IsBotBit = 1 << 1;
    private const int ConsentAnalyticsShift = 2;
    private const int ConsentAdsShift = 4;
    private const byte KnownSwitches = 0b0011_1111;

    private const byte HasTimestamp = 1 << 0;
    private const byte HasOrderUpdatedAt = 1 << 1;
    private const byte HasRevenue = 1 << 2;
    private const byte HasRefunded = 1 << 3;
    private const byte HasNetRevenue = 1 << 4;
    private const byte HasAsn = 1 << 5;
    private const byte KnownPresence = 0b0011_1111;

    /// <summary>The most bytes <see cref="Write"/> can take for this event (strings counted at 3 UTF-8 bytes a char).</summary>
    public static int MaxEncodedBytes(TrackedEvent e) =>
        3 + (4 * SpoolBinaryWriter.TimeBytes) + (3 * SpoolBinaryWriter.DecimalBytes) + 4
        + (StringCount * SpoolBinaryWriter.MaxVarIntBytes)
        + (3 * (Chars(e.Workspace) + Chars(e.MessageId) + Chars(e.AnonymousId) + Chars(e.UserId) + Chars(e.Event) + Chars(e.PropertiesJson)
            + Chars(e.Currency) + Chars(e.OrderId) + Chars(e.PageUrl) + Chars(e.PageReferrer) + Chars(e.PageTitle)
            + Chars(e.UtmSource) + Chars(e.UtmMedium) + Chars(e.UtmCampaign) + Chars(e.UtmTerm) + Chars(e.UtmContent)
            + Chars(e.ClickIdType) + Chars(e.ClickId) + Chars(e.EmailSha256) + Chars(e.PhoneSha256)
            + Chars(e.OrderSource) + Chars(e.OrderStatus) + Chars(e.SourceName) + Chars(e.PreviousId) + Chars(e.GroupId) + Chars(e.Flags)
            + Chars(e.Ip) + Chars(e.UserAgent) + Chars(e.Country) + Chars(e.Region) + Chars(e.City) + Chars(e.AsnOrganization)
            + Chars(e.Browser) + Chars(e.BrowserVersion) + Chars(e.Os) + Chars(e.OsVersion) + Chars(e.DeviceFamily) + Chars(e.DeviceBrand)
            + Chars(e.DeviceModel) + Chars(e.DeviceClass) + Chars(e.Channel) + Chars(e.AdPlatform)));

    public static void Write(ref SpoolBinaryWriter w, TrackedEvent e)
    {
        w.Byte((byte)e.Type);
        w.Byte((byte)((e.GlobalPrivacyControl ? GlobalPrivacyControlBit : 0) | (e.IsBot ? IsBotBit : 0)
            | (Consent(e.ConsentAnalytics) << ConsentAnalyticsShift) | (Consent(e.ConsentAds) << ConsentAdsShift)));
        w.Byte((byte)((e.Timestamp.HasValue ? HasTimestamp : 0) | (e.OrderUpdatedAt.HasValue ? HasOrderUpdatedAt : 0)
            | (e.Revenue.HasValue ? HasRevenue : 0) | (e.Refunded.HasValue ? HasRefunded : 0)
            | (e.NetRevenue.HasValue ? HasNetRevenue : 0) | (e.Asn.HasValue ? HasAsn : 0)));
        w.Time(e.ReceivedAt);
        w.Time(e.Ts);
        if (e.Timestamp is { } timestamp) { w.Time(timestamp); }
        if (e.OrderUpdatedAt is { } orderUpdatedAt) { w.Time(orderUpdatedAt); }
        if (e.Revenue is { } revenue) { w.Decimal(revenue); }
        if (e.Refunded is { } refunded) { w.Decimal(refunded); }
        if (e.NetRevenue is { } netRevenue) { w.Decimal(netRevenue); }
        if (e.Asn is { } asn) { w.UInt32(asn); }

        w.String(e.Workspace);
        w.String(e.MessageId);
        w.String(e.AnonymousId);
        w.String(e.UserId);
        w.String(e.Event);
        w.String(e.PropertiesJson);
        w.String(e.Currency);
        w.String(e.OrderId);
        w.String(e.PageUrl);
        w.String(e.PageReferrer);
        w.String(e.PageTitle);
        w.String(e.UtmSource);
        w.String(e.UtmMedium);
        w.String(e.UtmCampaign);
        w.String(e.UtmTerm);
        w.String(e.UtmContent);
        w.String(e.ClickIdType);
        w.String(e.ClickId);
        w.String(e.EmailSha256);
        w.String(e.PhoneSha256);
        w.String(e.OrderSource);
        w.String(e.OrderStatus);
        w.String(e.SourceName);
        w.String(e.PreviousId);
        w.String(e.GroupId);
        w.String(e.Flags);
        w.String(e.Ip);
        w.String(e.UserAgent);
        w.String(e.Country);
        w.String(e.Region);
        w.String(e.City);
        w.String(e.AsnOrganization);
        w.String(e.Browser);
        w.String(e.BrowserVersion);
        w.String(e.Os);
        w.String(e.OsVersion);
        w.String(e.DeviceFamily);
        w.String(e.DeviceBrand);
        w.String(e.DeviceModel);
        w.String(e.DeviceClass);
        w.String(e.Channel);
        w.String(e.AdPlatform);
    }

    /// <summary>Reads one event; when <paramref name="r"/> has failed the event is incomplete and must be dropped.</summary>
    public static TrackedEvent Read(ref SpoolBinaryReader r)
    {
        r.BeginEvent();
        var e = new TrackedEvent();
        // The type as written, unchecked, as the JSON record carried it: whatever the writer took is stored, never refused here.
        e.Type = (EventType)r.Byte("type");

        var at = r.Position;
        var switches = r.Byte("switches");
        if ((switches & ~KnownSwitches) != 0) { r.Fail("switches", $"unknown bits 0x{switches:X2}", at); }
        e.GlobalPrivacyControl = (switches & GlobalPrivacyControlBit) != 0;
        e.IsBot = (switches & IsBotBit) != 0;
        e.ConsentAnalytics = Consent(ref r, "consentAnalytics", switches >> ConsentAnalyticsShift, at);
        e.ConsentAds = Consent(ref r, "consentAds", switches >> ConsentAdsShift, at);

        at = r.Position;
        var present = r.Byte("present");
        if ((present & ~KnownPresence) != 0) { r.Fail("present", $"unknown bits 0x{present:X2}", at); }
        e.ReceivedAt = r.Time("receivedAt");
        e.Ts = r.Time("ts");
        if ((present & HasTimestamp) != 0) { e.Timestamp = r.Time("timestamp"); }
        if ((present & HasOrderUpdatedAt) != 0) { e.OrderUpdatedAt = r.Time("orderUpdatedAt"); }
        if ((present & HasRevenue) != 0) { e.Revenue = r.Decimal("revenue"); }
        if ((present & HasRefunded) != 0) { e.Refunded = r.Decimal("refunded"); }
        if ((present & HasNetRevenue) != 0) { e.NetRevenue = r.Decimal("netRevenue"); }
        if ((present & HasAsn) != 0) { e.Asn = r.UInt32("asn"); }

        at = r.Position;
        var workspace = r.String("workspace");
        var messageId = r.String("messageId");
        if (!r.Failed && (workspace is null || messageId is null)) { r.Fail("workspace", "an event without a workspace or message id", at); }
        e.Workspace = workspace ?? "";
        e.MessageId = messageId ?? "";
        e.AnonymousId = r.String("anonymousId");
        e.UserId = r.String("userId");
        e.Event = r.String("event");
        e.PropertiesJson = r.String("propertiesJson");
        e.Currency = r.String("currency");
        e.OrderId = r.String("orderId");
        e.PageUrl = r.String("pageUrl");
        e.PageReferrer = r.String("pageReferrer");
        e.PageTitle = r.String("pageTitle");
        e.UtmSource = r.String("utmSource");
        e.UtmMedium = r.String("utmMedium");
        e.UtmCampaign = r.String("utmCampaign");
        e.UtmTerm = r.String("utmTerm");
        e.UtmContent = r.String("utmContent");
        e.ClickIdType = r.String("clickIdType");
        e.ClickId = r.String("clickId");
        e.EmailSha256 = r.String("emailSha256");
        e.PhoneSha256 = r.String("phoneSha256");
        e.OrderSource = r.String("orderSource");
        e.OrderStatus = r.String("orderStatus");
        e.SourceName = r.String("sourceName");
        e.PreviousId = r.String("previousId");
        e.GroupId = r.String("groupId");
        e.Flags = r.String("flags");
        e.Ip = r.String("ip");
        e.UserAgent = r.String("userAgent");
        e.Country = r.String("country");
        e.Region = r.String("region");
        e.City = r.String("city");
        e.AsnOrganization = r.String("asnOrganization");
        e.Browser = r.String("browser");
        e.BrowserVersion = r.String("browserVersion");
        e.Os = r.String("os");
        e.OsVersion = r.String("osVersion");
        e.DeviceFamily = r.String("deviceFamily");
        e.DeviceBrand = r.String("deviceBrand");
        e.DeviceModel = r.String("deviceModel");
        e.DeviceClass = r.String("deviceClass");
        e.Channel = r.String("channel");
        e.AdPlatform = r.String("adPlatform");
        return e;
    }

    private static int Chars(string? value) => value?.Length ?? 0;

    private static int Consent(bool? value) => value switch { null => 0, false => 1, true => 2 };

    private static bool? Consent(ref SpoolBinaryReader r, string field, int bits, int at)
    {
        switch (bits & 0b11)
        {
            case 0: return null;
            case 1: return false;
            case 2: return true;
            default:
                r.Fail(field, "3 is not a consent", at);
                return null;
        }
    }
}
