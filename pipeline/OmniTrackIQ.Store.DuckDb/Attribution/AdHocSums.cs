using System.Runtime.CompilerServices;
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

    private const int CacheSize = 1024;
    private readonly List<(string Model, Dictionary<string, Box> Sums)> _models = [];
    private readonly string?[] _cachedKeys = new string?[CacheSize];
    private readonly string?[] _cachedModels = new string?[CacheSize];
    private readonly Box?[] _cachedSums = new Box?[CacheSize];

    /// <summary>Credit and revenue credit per model and key.</summary>
    public IEnumerable<(string Model, string Key, double Credit, double RevenueCredit)> Groups
    {
        get
        {
            foreach (var (model, sums) in _models)
            {
                foreach (var (key, sum) in sums) { yield return (model, key, sum.Credit, sum.RevenueCredit); }
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
        // This runs for every credited touch of a million conversions: a key the decoder shares is found by its instance
        // (no hash of its characters), the rest by value.
        var model = row.Model;
        var slot = ((RuntimeHelpers.GetHashCode(key) * 31) + RuntimeHelpers.GetHashCode(model)) & (CacheSize - 1);
        if (!ReferenceEquals(_cachedKeys[slot], key) || !ReferenceEquals(_cachedModels[slot], model))
        {
            _cachedKeys[slot] = key;
            _cachedModels[slot] = model;
            _cachedSums[slot] = Sum(SumsOf(model), key);
        }

        var sum = _cachedSums[slot]!;
        sum.Credit += row.Credit;
        sum.RevenueCredit += row.RevenueCredit;
    }

    private static Box Sum(Dictionary<string, Box> sums, string key)
    {
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, key, out var exists);
        if (!exists) { sum = new Box(); }
        return sum!;
    }

    /// <summary>The sums of a model: a few models, named by the same string instances, so found by reference first.</summary>
    private Dictionary<string, Box> SumsOf(string model)
    {
        foreach (var (name, sums) in _models)
        {
            if (ReferenceEquals(name, model)) { return sums; }
        }

        foreach (var (name, sums) in _models)
        {
            if (string.Equals(name, model, StringComparison.Ordinal)) { return sums; }
        }

        var added = new Dictionary<string, Box>(StringComparer.Ordinal);
        _models.Add((model, added));
        return added;
    }

    /// <summary>One key's running sums, held by reference so a cached slot adds to it directly.</summary>
    private sealed class Box
    {
        public double Credit;
        public double RevenueCredit;
    }

    /// <summary>The bound as epoch microseconds, the precision of the TIMESTAMP it was compared with in SQL.</summary>
    private static long? Micros(DateTime? bound) => bound is { } value ? (value.Ticks - DateTime.UnixEpoch.Ticks) / 10 : null;
}
