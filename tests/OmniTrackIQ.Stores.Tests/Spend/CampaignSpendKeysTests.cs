using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

public sealed class CampaignSpendKeysTests
{
    [Fact]
    public void Spend_is_keyed_by_the_campaign_id_when_touches_carry_the_id_else_by_the_name()
    {
        var attributed = new HashSet<string>(StringComparer.Ordinal) { "20123456789", "Retargeting | Nov", "(none)" };

        var keyed = CampaignSpendKeys.Resolve(
        [
            new CampaignSpend("20123456789", "Brand - DE", 12.5),      // utm_campaign={campaignid}
            new CampaignSpend("23851234567890123", "Retargeting | Nov", 20), // utm_campaign=name
            new CampaignSpend("1780123456789012", "Launch UGC", 31.5), // no revenue: labelled by name
            new CampaignSpend("", "csv-brand", 3),                     // our CSV without an id
            new CampaignSpend("", "csv-brand", 1),
        ], attributed.Contains);

        Assert.Equal(new Dictionary<string, double>
        {
            ["20123456789"] = 12.5,
            ["Retargeting | Nov"] = 20,
            ["Launch UGC"] = 31.5,
            ["csv-brand"] = 4,
        }, keyed);
    }

    [Fact]
    public void Two_campaigns_of_one_name_join_that_name_together_unless_touches_name_one_by_id()
    {
        var keyed = CampaignSpendKeys.Resolve([new CampaignSpend("1", "promo", 5), new CampaignSpend("2", "promo", 7)], key => key == "2");

        Assert.Equal(new Dictionary<string, double> { ["promo"] = 5, ["2"] = 7 }, keyed);
    }
}
