using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The on-the-fly credits summed per model and summary key, as the summary query would sum them: only conversions in the
/// range, only <c>channel</c>'s touches when asked, a missing key read as "(none)". Each key's sum adds the credits in the
/// order they come, which is the order the summary's <c>sum()</c> added them when every credit was a row of the temp table
/// (one DuckDB thread scans a table in insertion order), so the figures are the same to the last bit, in a few rows.
/// </summary>
internal sealed class AdHocSums(TimeRange range, AttributionGroupBy groupBy, string? channel)
{
    private readonly long? _fromMicros = Micros(range.From);
    private readonly long? _toMicros = Micros(range.To);

    /// <summary>Credit and revenue credit per (model, key), in the order the keys first appeared.</summary>
    public Dictionary<(string Model, string Key), (double Credit, double RevenueCredit)> Groups { get; } = [];

    public void Add(in CreditRow row)
    {
        var micros = row.Conversion.TimestampMs * 1000;
        if (micros < _fromMicros || micros >= _toMicros) { return; }
        var touch = row.Touch;
        var touchChannel = touch?.Channel ?? AttributionModels.NoTouchChannel;
        if (channel is not null && !string.Equals(touchChannel, channel, StringComparison.Ordinal)) { return; }
        var key = groupBy switch
        {
            AttributionGroupBy.Channel => touchChannel,
            AttributionGroupBy.Source => touch?.Source,
            _ => touch?.Campaign,
        } ?? AttributionModels.NoTouchChannel;
        var group = (row.Model, key);
        var (credit, revenueCredit) = Groups.TryGetValue(group, out var known) ? known : (0d, 0d);
        Groups[group] = (credit + row.Credit, revenueCredit + row.RevenueCredit);
    }

    /// <summary>The bound as epoch microseconds, the precision of the TIMESTAMP it was compared with in SQL.</summary>
    private static long? Micros(DateTime? bound) => bound is { } value ? (value.Ticks - DateTime.UnixEpoch.Ticks) / 10 : null;
}
