namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>One platform campaign's spend in a range: its id ("" when the import had none) and name.</summary>
public readonly record struct CampaignSpend(string CampaignId, string Campaign, double Spend);

/// <summary>
/// Keys campaign spend the way attributed revenue names the campaign. Ad links carry the platform's campaign id
/// through URL macros ({campaignid}, {{campaign.id}}, __CAMPAIGN_ID__) or its name; so a campaign's spend is keyed
/// by its id when some attributed revenue has that id as utm_campaign, else by its name (which also labels spend
/// that no revenue matched). The same rule as the DuckDB summary's CASE on campaign_id.
/// </summary>
public static class CampaignSpendKeys
{
    public static Dictionary<string, double> Resolve(IEnumerable<CampaignSpend> spend, Func<string, bool> isAttributedKey)
    {
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(isAttributedKey);
        var keyed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in spend)
        {
            var key = row.CampaignId.Length > 0 && isAttributedKey(row.CampaignId) ? row.CampaignId : row.Campaign;
            keyed[key] = keyed.GetValueOrDefault(key) + row.Spend;
        }

        return keyed;
    }
}
