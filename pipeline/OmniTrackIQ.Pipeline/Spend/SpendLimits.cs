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
    /// <summary>Spend keeps this many decimal places (platform exports in micros are rounded).</summary>
    public const int SpendDecimals = 4;
}
