using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

public sealed class SpendCurrencyTests
{
    private static readonly DateOnly s_day = new(2026, 11, 1);

    private static readonly SpendRow[] s_rows =
    [
        new(s_day, "google", "Paid Search", "brand", 10m, "EUR", null, null),
        new(s_day, "tiktok", "Paid Social", "launch", 31.5m, "USD", null, null),
        new(s_day, "tiktok", "Paid Social", "ugc", 8.5m, "USD", null, null),
        new(s_day, "meta", "Paid Social", "uk", 4m, "GBP", null, null),
    ];

    [Fact]
    public void Rows_in_another_currency_than_the_shops_are_flagged_and_totalled_per_currency()
    {
        var rows = SpendCurrency.Flag(s_rows, " eur ", out var flagged);

        Assert.Equal([false, true, true, true], rows.Select(r => r.CurrencyFlagged));
        Assert.Equal(s_rows.Select(r => r with { CurrencyFlagged = false }), rows.Select(r => r with { CurrencyFlagged = false }));
        Assert.Equal([new FlaggedSpend("GBP", 4m, 1), new FlaggedSpend("USD", 40m, 2)], flagged);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_shop_currency_nothing_is_flagged(string? shop)
    {
        var rows = SpendCurrency.Flag(s_rows, shop, out var flagged);

        Assert.Equal(s_rows, rows);
        Assert.Empty(flagged);
    }

    [Fact]
    public void A_row_flagged_before_but_now_in_the_shops_currency_is_unflagged()
    {
        var rows = SpendCurrency.Flag([s_rows[0] with { CurrencyFlagged = true }], "EUR", out var flagged);

        Assert.False(Assert.Single(rows).CurrencyFlagged);
        Assert.Empty(flagged);
    }
}
