using System.Globalization;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>One event as a RowBinary row of <c>events</c>, its values in the order of <see cref="EventsColumns.All"/> and typed as listed there.</summary>
internal static class EventRow
{
    /// <summary>Decimal(18,4): the value times 10^4 as an Int64.</summary>
    private const decimal MoneyScale = 10_000m;

    /// <exception cref="StoreRejectedDataException">A money value does not fit Decimal(18,4)'s Int64.</exception>
    public static void Write(RowBinaryBuffer row, TrackedEvent e, ulong loadMs, uint loadIndex)
    {
        row.String(e.Workspace);
        row.String(e.MessageId);
        row.String(EventTypes.Name(e.Type));
        row.NullableString(e.Event);
        row.NullableString(e.AnonymousId);
        row.NullableString(e.UserId);
        row.Int64(Ms(e.Ts));
        row.NullableInt64(e.Timestamp is { } clientTs ? Ms(clientTs) : null);
        row.Int64(Ms(e.ReceivedAt));
        row.NullableString(e.PropertiesJson);
        Money(row, e.Revenue, "revenue");
        row.NullableString(e.Currency);
        row.NullableString(e.OrderId);
        row.NullableString(e.PageUrl);
        row.NullableString(e.PageReferrer);
        row.NullableString(e.PageTitle);
        row.NullableString(e.UtmSource);
        row.NullableString(e.UtmMedium);
        row.NullableString(e.UtmCampaign);
        row.NullableString(e.UtmTerm);
        row.NullableString(e.UtmContent);
        row.NullableString(e.ClickIdType);
        row.NullableString(e.ClickId);
        row.NullableString(e.EmailSha256);
        Flag(row, e.ConsentAnalytics);
        Flag(row, e.ConsentAds);
        row.UInt8(Flag(e.GlobalPrivacyControl));
        row.NullableString(e.Ip);
        row.NullableString(e.UserAgent);
        row.NullableString(e.Country);
        row.NullableString(e.Region);
        row.NullableString(e.City);
        row.NullableUInt32(e.Asn);
        row.NullableString(e.AsnOrganization);
        row.NullableString(e.Browser);
        row.NullableString(e.BrowserVersion);
        row.NullableString(e.Os);
        row.NullableString(e.OsVersion);
        row.NullableString(e.DeviceFamily);
        row.NullableString(e.DeviceBrand);
        row.NullableString(e.DeviceModel);
        row.NullableString(e.DeviceClass);
        row.UInt8(Flag(e.IsBot));
        row.NullableString(e.Channel);
        row.NullableString(e.AdPlatform);
        row.NullableString(e.PreviousId);
        row.NullableString(e.GroupId);
        row.NullableString(e.PhoneSha256);
        row.NullableString(e.Flags);
        row.NullableString(e.OrderSource);
        row.NullableString(e.OrderStatus);
        Money(row, e.Refunded, "refunded");
        Money(row, e.NetRevenue, "net_revenue");
        row.NullableString(e.SourceName);
        row.UInt64(loadMs);
        row.UInt32(loadIndex);
        row.NullableInt64(e.OrderUpdatedAt is { } updatedAt ? Ms(updatedAt) : null);
    }

    /// <summary>Epoch milliseconds UTC (signed: a client clock set before 1970 is stored as sent, not clamped).</summary>
    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>
    /// Decimal(18,4) as ClickHouse.Driver wrote it before: digits past the fourth decimal cut off (toward zero), refused
    /// only when the scaled value does not fit an Int64 (the sink then stores the rest and sends this event to bad_events).
    /// </summary>
    internal static long Scaled(decimal value, string column)
    {
        try
        {
            return decimal.ToInt64(decimal.Round(value, 4, MidpointRounding.ToZero) * MoneyScale);
        }
        catch (OverflowException ex)
        {
            throw new StoreRejectedDataException($"A value does not fit its column: {column} {value.ToString(CultureInfo.InvariantCulture)} is beyond Decimal(18,4)", null, ex);
        }
    }

    private static void Money(RowBinaryBuffer row, decimal? value, string column)
    {
        if (row.HasValue(value is null)) { row.Int64(Scaled(value!.Value, column)); }
    }

    private static void Flag(RowBinaryBuffer row, bool? value)
    {
        if (row.HasValue(value is null)) { row.UInt8(Flag(value!.Value)); }
    }

    private static byte Flag(bool value) => value ? (byte)1 : (byte)0;
}
