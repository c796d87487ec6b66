using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>Appends one event in the column order of <see cref="EventsSchema.Columns"/>.</summary>
internal static class EventRow
{
    public static void Append(DuckDBAppender appender, TrackedEvent e) =>
        appender.CreateRow()
            .AppendValue(e.Workspace)
            .AppendValue(e.MessageId)
            .AppendValue(TypeName(e.Type))
            .AppendValue(e.Event)
            .AppendValue(e.AnonymousId)
            .AppendValue(e.UserId)
            .AppendValue(e.Ts.UtcDateTime)
            .AppendValue(e.Timestamp?.UtcDateTime)
            .AppendValue(e.ReceivedAt.UtcDateTime)
            .AppendValue(e.PropertiesJson)
            .AppendValue(e.Revenue)
            .AppendValue(e.Currency)
            .AppendValue(e.OrderId)
            .AppendValue(e.PageUrl)
            .AppendValue(e.PageReferrer)
            .AppendValue(e.PageTitle)
            .AppendValue(e.UtmSource)
            .AppendValue(e.UtmMedium)
            .AppendValue(e.UtmCampaign)
            .AppendValue(e.UtmTerm)
            .AppendValue(e.UtmContent)
            .AppendValue(e.ClickIdType)
            .AppendValue(e.ClickId)
            .AppendValue(e.EmailSha256)
            .AppendValue(e.ConsentAnalytics)
            .AppendValue(e.ConsentAds)
            .AppendValue((bool?)e.GlobalPrivacyControl)
            .AppendValue(e.Ip)
            .AppendValue(e.UserAgent)
            .AppendValue(e.Country)
            .AppendValue(e.Region)
            .AppendValue(e.City)
            .AppendValue(e.Asn)
            .AppendValue(e.AsnOrganization)
            .AppendValue(e.Browser)
            .AppendValue(e.BrowserVersion)
            .AppendValue(e.Os)
            .AppendValue(e.OsVersion)
            .AppendValue(e.DeviceFamily)
            .AppendValue(e.DeviceBrand)
            .AppendValue(e.DeviceModel)
            .AppendValue(e.DeviceClass)
            .AppendValue((bool?)e.IsBot)
            .AppendValue(e.Channel)
            .AppendValue(e.AdPlatform)
            .AppendValue(e.PreviousId)
            .AppendValue(e.GroupId)
            .AppendValue(e.PhoneSha256)
            .AppendValue(e.Flags)
            .AppendValue(e.OrderSource)
            .AppendValue(e.OrderStatus)
            .AppendValue(e.Refunded)
            .AppendValue(e.NetRevenue)
            .AppendValue(e.SourceName)
            .EndRow();

    public static string TypeName(EventType type) => EventTypes.Name(type);
}
