namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Limits of a spend import (README "Ad spend"); beyond them a 413 or 400 naming the limit.</summary>
public static class SpendLimits
{
    /// <summary>Rows in one request or one file.</summary>
    public const int MaxRows = 100_000;
    /// <summary>Body of <c>POST /v1/spend</c>.</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;
    /// <summary>Platform, campaign and channel names.</summary>
    public const int MaxNameLength = 256;
    /// <summary>Largest spend of one row; the store keeps DECIMAL(18,4).</summary>
    public const decimal MaxSpend = 1_000_000_000_000m;
    /// <summary>Largest impressions or clicks of one row (sums of merged rows stay far from overflow).</summary>
    public const long MaxCount = 1_000_000_000_000_000;
    /// <summary>
    /// The days a spend row may name. Ad platforms began after 2000 (PlausibleTime.Earliest); the last day is far
    /// inside what both stores hold (ClickHouse's Date ends 2149-06-06), so an absurd date (year 9999) is a 400 naming
    /// the row, never a store error.
    /// </summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1);
    public static readonly DateOnly LastDate = new(2099, 12, 31);
    /// <summary>Spend keeps this many decimal places (platform exports in micros are rounded).</summary>
    public const int SpendDecimals = 4;
}
