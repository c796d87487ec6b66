using DuckDB.NET.Data;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Store.DuckDb.Spend;

/// <summary>
/// Writes <c>ad_spend</c>. Idempotent per campaign and day: an import replaces every row (any ad group or ad) of the
/// (workspace, date, platform, campaign) it carries, in one transaction, so importing the same file twice never
/// doubles spend. A campaign is its platform id when the row has one (a renamed campaign replaces its old name's
/// rows), else its name.
/// </summary>
public sealed class AdSpendStore : ISpendStore
{
    private readonly DuckDbDatabase _database;

    public AdSpendStore(DuckDbDatabase database) => _database = database;

    public async Task<int> UpsertAsync(string workspace, IReadOnlyList<SpendRow> rows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        if (rows.Count == 0) { return 0; }
        return await _database.WriteAsync(connection => Replace(connection, workspace, rows), cancellationToken);
    }

    private static int Replace(DuckDBConnection connection, string workspace, IReadOnlyList<SpendRow> rows)
    {
        using var transaction = connection.BeginTransaction();
        DuckDbEventStore.Execute(connection, "DELETE FROM ad_spend_staging");
        using (var appender = connection.CreateAppender("ad_spend_staging"))
        {
            foreach (var row in rows)
            {
                var appended = appender.CreateRow()
                    .AppendValue(workspace)
                    .AppendValue(row.Date)
                    .AppendValue(row.Platform)
                    .AppendValue(row.Channel)
                    .AppendValue(row.Campaign)
                    .AppendValue(row.Spend)
                    .AppendValue(row.Currency);
                appended = row.Impressions is { } impressions ? appended.AppendValue(impressions) : appended.AppendNullValue();
                appended = row.Clicks is { } clicks ? appended.AppendValue(clicks) : appended.AppendNullValue();
                appended.AppendValue(row.CampaignId).AppendValue(row.AdGroupId).AppendValue(row.AdGroup).AppendValue(row.AdId).AppendValue(row.Ad)
                    .AppendValue(row.CurrencyFlagged).EndRow();
            }
        }

        DuckDbEventStore.Execute(connection, """
            DELETE FROM ad_spend USING ad_spend_staging s
            WHERE ad_spend.workspace = s.workspace AND ad_spend.date = s.date
              AND ad_spend.platform = s.platform AND ad_spend.campaign_id = s.campaign_id
              AND (s.campaign_id <> '' OR ad_spend.campaign = s.campaign)
            """);
        // Grouped so a caller's duplicate keys add up instead of becoming two rows of one key.
        var inserted = DuckDbEventStore.Execute(connection, $"""
            INSERT INTO ad_spend ({AdSpendSchema.InsertColumns})
            SELECT workspace, date, platform, max(channel), campaign, sum(spend), max(currency), sum(impressions), sum(clicks),
                   campaign_id, ad_group_id, max(ad_group), ad_id, max(ad), bool_or(currency_flagged)
            FROM ad_spend_staging
            GROUP BY workspace, date, platform, campaign, campaign_id, ad_group_id, ad_id
            """);
        DuckDbEventStore.Execute(connection, "DELETE FROM ad_spend_staging");
        transaction.Commit();
        return inserted;
    }
}
