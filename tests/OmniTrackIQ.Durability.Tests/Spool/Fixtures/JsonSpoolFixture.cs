using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// The events in <c>json-records-s7.seg</c>: one spool segment written by the collector of session 7 (main at 4c0399e),
/// whose records were JSON (<c>SpoolJsonContext</c>, magic <c>F5 'O' 'T' 'Q'</c>). The file was made once by that
/// version's <c>SegmentedSpool.Append</c> and <c>SpoolJsonContext</c> from exactly these batches (see
/// Fixtures/README.md); the upgrade tests read it with today's reader and expect these events back.
/// </summary>
internal static class JsonSpoolFixture
{
    public const string SegmentFile = "000000000001.seg";

    public static List<List<TrackedEvent>> Batches() =>
    [
        [Page("j0001"), Conversion("j0002")],
        [new TrackedEvent { Workspace = "w", Type = EventType.Identify, MessageId = "j0003", UserId = "u-ß-7", AnonymousId = "",
            ReceivedAt = At(2026, 12, 6, 23, 59, 59, 999), Ts = At(2026, 12, 6, 23, 59, 59, 999), EmailSha256 = "sha256:" + new string('a', 64),
            PhoneSha256 = "sha256:" + new string('b', 64), ConsentAnalytics = false, ConsentAds = true, Flags = "dropped:traits.phone" }],
        [Page("j0004"), Page("j0005"), new TrackedEvent { Workspace = "w2", Type = EventType.Alias, MessageId = "j0006", UserId = "u1", PreviousId = "a1",
            ReceivedAt = DateTimeOffset.UnixEpoch, Ts = DateTimeOffset.UnixEpoch }],
    ];

    private static TrackedEvent Page(string id) => new()
    {
        Workspace = "w",
        Type = EventType.Page,
        MessageId = id,
        AnonymousId = "anon-" + id,
        Timestamp = new DateTimeOffset(2026, 12, 7, 1, 2, 3, 456, TimeSpan.FromHours(5.5)),
        PropertiesJson = """{"path":"/p/☃","n":[1,2.5e300],"x":null}""",
        PageUrl = "https://shop.example/p/" + id + "?utm_source=g",
        PageReferrer = "https://www.google.com/",
        PageTitle = "Schöne Grüße 🛒",
        UtmSource = "g", UtmMedium = "cpc", UtmCampaign = "winter", UtmTerm = "", UtmContent = "ad 1",
        ClickIdType = "gclid", ClickId = "Cj0KCQ",
        ReceivedAt = At(2026, 12, 7, 1, 2, 4, 0),
        Ts = At(2026, 12, 7, 1, 2, 3, 500),
        GlobalPrivacyControl = true,
        Ip = "203.0.113.0",
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)",
        Country = "DE", Region = "BE", City = "Berlin", Asn = uint.MaxValue, AsnOrganization = "Example AS",
        Browser = "Mobile Safari", BrowserVersion = "17.1", Os = "iOS", OsVersion = "17.1",
        DeviceFamily = "iPhone", DeviceBrand = "Apple", DeviceModel = "iPhone", DeviceClass = "mobile",
        Channel = "Paid Search", AdPlatform = "Google Ads",
    };

    private static TrackedEvent Conversion(string id) => new()
    {
        Workspace = "w",
        Type = EventType.Conversion,
        MessageId = id,
        UserId = "u1",
        Event = "order_completed",
        Revenue = 79228162514264337593543950335m,
        Currency = "EUR",
        OrderId = "o-1",
        OrderSource = "shopify", OrderStatus = "partially_refunded",
        Refunded = 0.0000000000000000000000000001m, NetRevenue = -12.50m,
        OrderUpdatedAt = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)),
        SourceName = "web", GroupId = "acct-1",
        ReceivedAt = At(2026, 12, 7, 1, 0, 0, 1),
        Ts = At(2026, 12, 7, 1, 0, 0, 1),
        IsBot = true,
    };

    private static DateTimeOffset At(int y, int mo, int d, int h, int mi, int s, int ms) => new(y, mo, d, h, mi, s, ms, TimeSpan.Zero);
}
