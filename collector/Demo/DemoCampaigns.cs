namespace OmniTrackIQ.Collector.Demo;

/// <summary>One ad campaign of the demo shop: its platform's id is what the ad links carry as utm_campaign (the URL macro's value).</summary>
internal sealed record DemoCampaign(string Platform, string Id, string Name, decimal MinDailySpend, decimal MaxDailySpend);

/// <summary>The demo shop's paid campaigns, two per platform, with ids shaped like each platform's.</summary>
internal static class DemoCampaigns
{
    public static readonly DemoCampaign[] Google =
    [
        new("google", "21500000101", "Brand Search", 18m, 35m),
        new("google", "21500000102", "Running Shoes - Generic", 55m, 110m),
    ];

    public static readonly DemoCampaign[] Meta =
    [
        new("meta", "23850000000000101", "Prospecting | Lookalike 1%", 40m, 85m),
        new("meta", "23850000000000102", "Retargeting | Cart 7d", 15m, 30m),
    ];

    public static readonly DemoCampaign[] TikTok =
    [
        new("tiktok", "1790000000000101", "UGC Launch", 25m, 60m),
        new("tiktok", "1790000000000102", "Spark Ads | Creators", 10m, 25m),
    ];
}
