using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>Attributed conversions and revenue per group key of one model, joined with spend into summary rows.</summary>
internal sealed class GroupSums
{
    private readonly Dictionary<string, (double Conversions, double Revenue)> _sums = new(StringComparer.Ordinal);

    public void Add(string key, double conversions, double revenue)
    {
        var (c, r) = _sums.TryGetValue(key, out var known) ? known : (0, 0);
        _sums[key] = (c + conversions, r + revenue);
    }

    /// <summary>A row per key with credit or spend (a full outer join: spend without any result is listed too).</summary>
    public IEnumerable<AttributionSummaryRow> Rows(IReadOnlyDictionary<string, double> spend)
    {
        foreach (var (key, (conversions, revenue)) in _sums)
        {
            yield return SummaryArithmetic.Row(key, conversions, revenue, spend.TryGetValue(key, out var s) ? s : null);
        }

        foreach (var (key, s) in spend)
        {
            if (!_sums.ContainsKey(key)) { yield return SummaryArithmetic.Row(key, 0, 0, s); }
        }
    }
}
