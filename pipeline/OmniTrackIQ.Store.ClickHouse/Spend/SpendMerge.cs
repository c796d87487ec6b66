using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Store.ClickHouse.Spend;

/// <summary>
/// Folds the rows of one call that share a key (date, platform, campaign, campaign id, ad group id, ad id), as the
/// DuckDB store's GROUP BY does: spend, impressions and clicks
/// add up (counts stay null only when every row lacks them), channel and currency take the largest value.
/// </summary>
internal static class SpendMerge
{
    public static List<SpendRow> ByKey(IReadOnlyList<SpendRow> rows)
    {
        var byKey = new Dictionary<(DateOnly, string, string, string, string, string), SpendRow>();
        var order = new List<(DateOnly, string, string, string, string, string)>();
        foreach (var row in rows)
        {
            var key = (row.Date, row.Platform, row.Campaign, row.CampaignId, row.AdGroupId, row.AdId);
            if (!byKey.TryGetValue(key, out var sum))
            {
                byKey[key] = row;
                order.Add(key);
                continue;
            }

            byKey[key] = sum with
            {
                Channel = Max(sum.Channel, row.Channel),
                Currency = Max(sum.Currency, row.Currency),
                Spend = sum.Spend + row.Spend,
                Impressions = Add(sum.Impressions, row.Impressions),
                Clicks = Add(sum.Clicks, row.Clicks),
                AdGroup = Max(sum.AdGroup, row.AdGroup),
                Ad = Max(sum.Ad, row.Ad),
                CurrencyFlagged = sum.CurrencyFlagged || row.CurrencyFlagged,
            };
        }

        return order.ConvertAll(key => byKey[key]);
    }

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) >= 0 ? a : b;

    // SQL sum skips nulls; checked so that an overflow fails the import instead of storing a wrapped count.
    private static long? Add(long? a, long? b) => a is null ? b : b is null ? a : checked(a.Value + b.Value);
}
