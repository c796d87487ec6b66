using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Store.ClickHouse.Spend;

/// <summary>
/// Writes <c>ad_spend</c> with the DuckDB AdSpendStore's meaning: per campaign's day an import replaces what was
/// there (every ad group and ad), rows of one key within a call are summed, and importing a file twice leaves the
/// same spend. Replacing is one insert with a newer version (<see cref="SpendSchema.Current"/>): there is no delete,
/// so a reader meets either the old or the new rows of a campaign's day, never both and never none.
/// </summary>
public sealed class ClickHouseSpendStore(ClickHouseDatabase database, StoreReadiness readiness) : ISpendStore
{
    public async Task<int> UpsertAsync(string workspace, IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        ArgumentNullException.ThrowIfNull(rows);
        readiness.ThrowIfNotReady();
        if (rows.Count == 0) { return 0; }

        var merged = SpendMerge.ByKey(rows);
        // One version for the whole import: NextLoadMs is strictly increasing, so a later import of a key wins.
        var version = database.NextLoadMs();
        await database.InsertAsync("ad_spend", SpendSchema.Names, SpendSchema.Types, Values(workspace, merged, version), cancellationToken);
        return merged.Count;
    }

    private static IEnumerable<object?[]> Values(string workspace, IReadOnlyList<SpendRow> rows, ulong version)
    {
        foreach (var row in rows)
        {
            yield return [workspace, row.Date, row.Platform, row.Channel, row.Campaign, row.Spend, row.Currency, row.Impressions, row.Clicks, version,
                row.CampaignId, row.AdGroupId, row.AdGroup, row.AdId, row.Ad, row.CurrencyFlagged ? (byte)1 : (byte)0];
        }
    }
}
