using System.Runtime.InteropServices;
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

    private readonly List<(string Model, Dictionary<string, (double Credit, double RevenueCredit)> Sums)> _models = [];

    /// <summary>Credit and revenue credit per model and key.</summary>
    public IEnumerable<(string Model, string Key, double Credit, double RevenueCredit)> Groups
    {
        get
        {
            foreach (var (model, sums) in _models)
            {
                foreach (var (key, (credit, revenueCredit)) in sums) { yield return (model, key, credit, revenueCredit); }
            }
        }
    }

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
        // One hash of the key per credit (this runs for every credited touch of a million conversions).
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(SumsOf(row.Model), key, out _);
        sum = (sum.Credit + row.Credit, sum.RevenueCredit + row.RevenueCredit);
    }

    /// <summary>The sums of a model: a few models, named by the same string instances, so found by reference first.</summary>
    private Dictionary<string, (double Credit, double RevenueCredit)> SumsOf(string model)
    {
        foreach (var (name, sums) in _models)
        {
            if (ReferenceEquals(name, model)) { return sums; }
        }

        foreach (var (name, sums) in _models)
        {
            if (string.Equals(name, model, StringComparison.Ordinal)) { return sums; }
        }

        var added = new Dictionary<string, (double Credit, double RevenueCredit)>(StringComparer.Ordinal);
        _models.Add((model, added));
        return added;
    }

    /// <summary>The bound as epoch microseconds, the precision of the TIMESTAMP it was compared with in SQL.</summary>
    private static long? Micros(DateTime? bound) => bound is { } value ? (value.Ticks - DateTime.UnixEpoch.Ticks) / 10 : null;
}
