using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class DailyKeysTests
{
    [Theory]
    [InlineData("2026-11-01|Paid Search", 2026, 11, 1, "Paid Search")]
    [InlineData("2026-11-01|a|b", 2026, 11, 1, "a|b")]
    [InlineData("2026-11-01|", 2026, 11, 1, "")]
    public void A_day_prefixed_key_splits_at_its_fixed_width_day(string composite, int year, int month, int day, string key)
    {
        Assert.Equal((new DateOnly(year, month, day), key), DailyKeys.Split(composite));
    }

    [Theory]
    [InlineData("2026-11-01")]
    [InlineData("2026-11-01-x")]
    [InlineData("2026-13-01|x")]
    [InlineData("Paid Search")]
    public void Anything_else_is_a_format_error(string composite)
    {
        Assert.Throws<FormatException>(() => DailyKeys.Split(composite));
    }

    [Fact]
    public void Rows_come_by_day_then_as_the_summary_orders_them()
    {
        var rows = DailyKeys.Rows(
        [
            SummaryArithmetic.Row("2026-11-02|b", 1, 10, null),
            SummaryArithmetic.Row("2026-11-01|z", 1, 5, 2),
            SummaryArithmetic.Row("2026-11-01|a", 0, 0, 3),
            SummaryArithmetic.Row("2026-11-01|y", 2, 5, null),
        ]);

        Assert.Equal(["2026-11-01 y", "2026-11-01 z", "2026-11-01 a", "2026-11-02 b"],
            rows.Select(r => $"{r.Date:yyyy-MM-dd} {r.Row.Key}"));
        Assert.Equal(new AttributionSummaryRow("z", 1, 5, 2, 2.5, 2), rows[1].Row);
    }
}
