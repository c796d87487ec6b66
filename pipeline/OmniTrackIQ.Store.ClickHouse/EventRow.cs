using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>One event's values in the order of <see cref="EventsColumns.All"/>, boxed as the driver's RowBinary writer takes them.</summary>
internal static class EventRow
{
    public static object?[] Values(TrackedEvent e, ulong loadMs, uint loadIndex) =>
    [
        e.Workspace,
        e.MessageId,
        EventTypes.Name(e.Type),
        e.Event,
        e.AnonymousId,
        e.UserId,
        Ms(e.Ts),
        e.Timestamp is { } clientTs ? Ms(clientTs) : null,
        Ms(e.ReceivedAt),
        e.PropertiesJson,
        e.Revenue,
        e.Currency,
        e.OrderId,
        e.PageUrl,
        e.PageReferrer,
        e.PageTitle,
        e.UtmSource,
        e.UtmMedium,
        e.UtmCampaign,
        e.UtmTerm,
        e.UtmContent,
        e.ClickIdType,
        e.ClickId,
        e.EmailSha256,
        Flag(e.ConsentAnalytics),
        Flag(e.ConsentAds),
        Flag(e.GlobalPrivacyControl),
        e.Ip,
        e.UserAgent,
        e.Country,
        e.Region,
        e.City,
        e.Asn,
        e.AsnOrganization,
        e.Browser,
        e.BrowserVersion,
        e.Os,
        e.OsVersion,
        e.DeviceFamily,
        e.DeviceBrand,
        e.DeviceModel,
        e.DeviceClass,
        Flag(e.IsBot),
        e.Channel,
        e.AdPlatform,
        e.PreviousId,
        e.GroupId,
        e.PhoneSha256,
        e.Flags,
        e.OrderSource,
        e.OrderStatus,
        e.Refunded,
        e.NetRevenue,
        e.SourceName,
        loadMs,
        loadIndex,
        e.OrderUpdatedAt is { } updatedAt ? Ms(updatedAt) : null,
    ];

    /// <summary>Epoch milliseconds UTC (signed: a client clock set before 1970 is stored as sent, not clamped).</summary>
    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static object Flag(bool value) => value ? (byte)1 : (byte)0;

    private static object? Flag(bool? value) => value is { } v ? Flag(v) : null;
}
