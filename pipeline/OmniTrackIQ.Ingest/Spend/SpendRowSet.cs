using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// Rows of one import keyed by (date, platform, campaign, campaign id, ad group id, ad id). A key seen twice (an
/// export split by a breakdown we do not keep, e.g. placement) is summed, so the store's replace-per-campaign never
/// drops part of a day; the duplicates must agree on currency and channel.
/// </summary>
internal sealed class SpendRowSet
{
    private readonly Dictionary<(DateOnly, string, string, string, string, string), int> _index = [];

    public List<SpendRow> Rows { get; } = [];

    public IngestError? Add(SpendRowRef at, SpendRow row)
    {
        var key = (row.Date, row.Platform, row.Campaign, row.CampaignId, row.AdGroupId, row.AdId);
        if (!_index.TryGetValue(key, out var i))
        {
            _index[key] = Rows.Count;
            Rows.Add(row);
            return null;
        }

        var earlier = Rows[i];
        if (!string.Equals(earlier.Currency, row.Currency, StringComparison.Ordinal))
        {
            return SpendRowBuilder.Bad(at, "currency", $"differs from an earlier row of the same date, platform, campaign and ad ({earlier.Currency})", "conflicting_row");
        }

        if (!string.Equals(earlier.Channel, row.Channel, StringComparison.Ordinal))
        {
            return SpendRowBuilder.Bad(at, "channel", $"differs from an earlier row of the same date, platform, campaign and ad ({earlier.Channel})", "conflicting_row");
        }

        if (earlier.Spend + row.Spend > SpendLimits.MaxSpend)
        {
            return SpendRowBuilder.Bad(at, "spend", $"summed with earlier rows of the same key is over the limit of {SpendLimits.MaxSpend.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "invalid_spend");
        }

        Rows[i] = earlier with
        {
            Spend = earlier.Spend + row.Spend,
            Impressions = Sum(earlier.Impressions, row.Impressions),
            Clicks = Sum(earlier.Clicks, row.Clicks),
        };
        return null;
    }

    private static long? Sum(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}
