namespace OmniTrackIQ.Pipeline.Events;

/// <summary>
/// The amounts every store can hold: money is DECIMAL(18,4) in DuckDB and in ClickHouse, so an amount of 10^14 or
/// more is refused where it is parsed, with the field named, instead of being accepted and then refused by the
/// store (DuckDB would fail the whole batch; ClickHouse's refusal would cost a split of it).
/// </summary>
public static class MoneyLimits
{
    public const decimal Max = 99_999_999_999_999.9999m;

    public const string Reason = "must be below 10^14 (money is stored as DECIMAL(18,4))";

    public static bool Fits(decimal amount) => amount is >= -Max and <= Max;
}
