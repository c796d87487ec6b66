using System.Globalization;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>One group's summary row on one UTC day (<see cref="IAttributionQueries.SummarizeDailyAsync"/>).</summary>
public sealed record DailySummaryRow(DateOnly Date, AttributionSummaryRow Row);

/// <summary>
/// The stores group a daily summary by one text key, <c>yyyy-MM-dd|group</c>, so that their one-key joins of credit
/// and spend work unchanged; the day is fixed-width, so a group holding '|' splits right.
/// </summary>
public static class DailyKeys
{
    public const int DayLength = 10;

    public static (DateOnly Day, string Key) Split(string composite)
    {
        ArgumentNullException.ThrowIfNull(composite);
        if (composite.Length <= DayLength || composite[DayLength] != '|'
            || !DateOnly.TryParseExact(composite.AsSpan(0, DayLength), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new FormatException($"'{composite}' is not a day-prefixed key");
        }

        return (day, composite[(DayLength + 1)..]);
    }

    /// <summary>Rows keyed by <c>yyyy-MM-dd|group</c> as daily rows: by day, then as the summary orders (revenue, conversions, key).</summary>
    public static List<DailySummaryRow> Rows(IEnumerable<AttributionSummaryRow> composite)
    {
        ArgumentNullException.ThrowIfNull(composite);
        return [.. composite.Select(r =>
            {
                var (day, key) = Split(r.Key);
                return new DailySummaryRow(day, r with { Key = key });
            })
            .OrderBy(r => r.Date).ThenByDescending(r => r.Row.Revenue).ThenByDescending(r => r.Row.Conversions).ThenBy(r => r.Row.Key, StringComparer.Ordinal)];
    }
}
