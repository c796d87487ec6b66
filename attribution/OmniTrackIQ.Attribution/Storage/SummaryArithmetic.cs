namespace OmniTrackIQ.Attribution.Storage;

/// <summary>The one place a summary row's figures are rounded and its ROAS and CPA computed, whatever store summed them.</summary>
public static class SummaryArithmetic
{
    /// <summary>
    /// Rounded so float noise of summed credits (0.30000000000000004) does not reach the API; the ratios use the
    /// rounded figures so a reader can check them from the same row. ROAS needs spend above 0; CPA needs spend and
    /// at least some credited conversion.
    /// </summary>
    public static AttributionSummaryRow Row(string key, double conversions, double revenue, double? spend)
    {
        conversions = Math.Round(conversions, 6);
        revenue = Math.Round(revenue, 4);
        spend = spend is { } s ? Math.Round(s, 4) : null;
        double? roas = spend is > 0 ? Math.Round(revenue / spend.Value, 4) : null;
        double? cpa = spend is not null && conversions > 0 ? Math.Round(spend.Value / conversions, 4) : null;
        return new AttributionSummaryRow(key, conversions, revenue, spend, roas, cpa);
    }
}
