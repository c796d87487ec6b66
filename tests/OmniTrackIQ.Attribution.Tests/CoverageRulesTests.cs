using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>Checkout coverage's rule, case by case, and the report it sums into.</summary>
public sealed class CoverageRulesTests
{
    private static CoverageFacts Facts(string? miss, bool shop = false, bool nonWeb = false, string? otqId = null, bool refused = false, bool seen = false) =>
        new(miss, 10, shop, nonWeb, otqId, refused, seen);

    [Theory]
    [InlineData(null, true, true, null, true, false, "")] // a credited touch is matched, whatever else is true
    [InlineData("no_visit", true, true, "id", false, true, "non_web")] // POS / draft orders first
    [InlineData("visits_only_after", true, false, null, false, false, "visits_only_after")] // the run's own reason stays
    [InlineData("outside_lookback", false, false, "id", true, false, "outside_lookback")]
    [InlineData("no_visit", true, false, null, false, false, "no_otq_id")] // the cart carried no id
    [InlineData("no_visit", true, false, "id", true, false, "consent_missing")]
    [InlineData("no_visit", false, false, "id", true, false, "consent_missing")] // browser-only orders too
    [InlineData("no_visit", true, false, "id", false, false, "id_unseen")]
    [InlineData("no_visit", true, false, "id", false, true, "no_visit")] // the id was seen, just not as a touch
    [InlineData("no_visit", false, false, null, false, false, "no_visit")] // only the browser reported it
    [InlineData("no_visit", false, false, "id", false, false, "no_visit")]
    public void The_reason_is_the_most_actionable_one(string? miss, bool shop, bool nonWeb, string? otqId, bool refused, bool seen, string reason) =>
        Assert.Equal(reason, CoverageRules.Reason(Facts(miss, shop, nonWeb, otqId, refused, seen)));

    [Fact]
    public void The_report_counts_matched_share_revenue_and_misses_most_first()
    {
        var report = CoverageRules.Report(
        [
            Facts(null, shop: true), Facts(null), Facts("no_visit", shop: true), Facts("no_visit", shop: true), Facts("visits_only_after"),
            Facts("no_visit", shop: true, otqId: "x"),
        ]);
        Assert.Equal((6L, 2L, 0.333333, 60.0, 20.0, 4L), (report.Conversions, report.Matched, report.Share, report.Revenue, report.MatchedRevenue, report.ShopReported));
        Assert.Equal([new CoverageMiss("no_otq_id", 2, 20), new CoverageMiss("id_unseen", 1, 10), new CoverageMiss("visits_only_after", 1, 10)], report.Misses);
    }

    [Fact]
    public void No_orders_is_an_empty_report_with_share_zero()
    {
        var report = CoverageRules.Report([]);
        Assert.Equal((0L, 0L, 0.0, 0), (report.Conversions, report.Matched, report.Share, report.Misses.Count));
    }
}
