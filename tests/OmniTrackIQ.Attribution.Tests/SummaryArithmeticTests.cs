using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class SummaryArithmeticTests
{
    [Fact]
    public void Roas_and_cpa_come_from_the_rounded_figures()
    {
        var row = SummaryArithmetic.Row("Paid Search", 0.1 + 0.2, 300.00004, 120.00001);
        Assert.Equal(new AttributionSummaryRow("Paid Search", 0.3, 300, 120, 2.5, 400), row);
    }

    [Fact]
    public void No_spend_gives_no_ratios_zero_spend_no_roas_and_no_conversions_no_cpa()
    {
        Assert.Equal(new AttributionSummaryRow("k", 2, 10, null, null, null), SummaryArithmetic.Row("k", 2, 10, null));
        Assert.Equal(new AttributionSummaryRow("k", 2, 10, 0, null, 0), SummaryArithmetic.Row("k", 2, 10, 0));
        Assert.Equal(new AttributionSummaryRow("k", 0, 0, 50, 0, null), SummaryArithmetic.Row("k", 0, 0, 50));
    }
}
