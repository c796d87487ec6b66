namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>One platform campaign's spend in a range: its id ("" when the import had none) and name.</summary>
public readonly record struct CampaignSpend(string CampaignId, string Campaign, double Spend);

/// <summary>
/// Keys campaign spend the way attributed revenue names the campaign. Ad links carry the platform's campaign id
/// through URL macros ({campaignid}, {{campaign.id}}, __CAMPAIGN_ID__) or its name; so a campaign's spend is keyed
/// by its id when the id is a known utm_campaign — carried by some attributed touch of the workspace, whatever the
/// range or model asked, so that a campaign has one key on every day and under every model — else by its name
/// (which also labels spend no revenue matched). The same rule as the DuckDB summary's CASE on campaign_id.
/// </summary>
public static class CampaignSpendKeys
{
    public static Dictionary<string, double> Resolve(IEnumerable<CampaignSpend> spend, Func<string, bool> isKnownCampaign)
    {
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(isKnownCampaign);
        var keyed = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in spend)
        {
            var key = KeyOf(row.CampaignId, row.Campaign, isKnownCampaign);
            keyed[key] = keyed.GetValueOrDefault(key) + row.Spend;
        }

        return keyed;
    }

    /// <summary>The key of one campaign's spend: its id when known as a utm_campaign, else its name.</summary>
    public static string KeyOf(string campaignId, string campaign, Func<string, bool> isKnownCampaign)
    {
        ArgumentNullException.ThrowIfNull(isKnownCampaign);
        return campaignId.Length > 0 && isKnownCampaign(campaignId) ? campaignId : campaign;
    }
}
