namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>Spend of one import kept but not summed because its currency is not the shop's.</summary>
public sealed record FlaggedSpend(string Currency, decimal Spend, int Rows);

/// <summary>
/// The shop's money is one currency (the workspace's <c>Currency</c> setting); ad accounts may bill in another.
/// Rows in another currency are stored with <see cref="SpendRow.CurrencyFlagged"/> and answered back per currency,
/// never added to the shop's spend: converting would need a rate of the day we do not have, and adding them
/// as-is would make ROAS wrong without a trace. Without a configured currency nothing is flagged.
/// </summary>
public static class SpendCurrency
{
    public static List<SpendRow> Flag(IReadOnlyList<SpendRow> rows, string? shopCurrency, out List<FlaggedSpend> flagged)
    {
        flagged = [];
        var result = new List<SpendRow>(rows.Count);
        if (string.IsNullOrWhiteSpace(shopCurrency))
        {
            result.AddRange(rows);
            return result;
        }

        var shop = shopCurrency.Trim().ToUpperInvariant();
        var byCurrency = new SortedDictionary<string, (decimal Spend, int Rows)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var other = !string.Equals(row.Currency, shop, StringComparison.Ordinal);
            result.Add(row.CurrencyFlagged == other ? row : row with { CurrencyFlagged = other });
            if (!other) { continue; }
            var sum = byCurrency.GetValueOrDefault(row.Currency);
            byCurrency[row.Currency] = (sum.Spend + row.Spend, sum.Rows + 1);
        }

        foreach (var (currency, sum) in byCurrency) { flagged.Add(new FlaggedSpend(currency, sum.Spend, sum.Rows)); }
        return result;
    }
}
