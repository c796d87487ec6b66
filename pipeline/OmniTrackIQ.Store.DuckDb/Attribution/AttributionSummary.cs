using DuckDB.NET.Data;
using OmniTrackIQ.Store.DuckDb.Spend;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>Reads <c>attribution_results</c> aggregated per model and group, joined with <c>ad_spend</c> of the same group.</summary>
public sealed class AttributionSummary
{
    private readonly DuckDbDatabase _database;

    public AttributionSummary(DuckDbDatabase database) => _database = database;

    /// <summary>
    /// Rows of <paramref name="model"/> grouped by <paramref name="groupBy"/> 
    /// for conversions with from ≤ conversion time &lt; to and spend days whose start lies in the same range;
    /// null bounds are open. Missing keys read '(none)'. Groups with spend but no attributed conversion are
    /// listed too (0 conversions, 0 revenue), so money spent without a result is visible.
    /// </summary>
    public async Task<List<AttributionSummaryRow>> SummarizeAsync(string workspace, string model, AttributionGroupBy groupBy,
        DateTime? from, DateTime? to, CancellationToken cancellationToken, AttributionSettings? adHoc = null) =>
        (await SummarizeAsync(workspace, [model], groupBy, from, to, adHoc, null, cancellationToken))[model];

    /// <summary>
    /// The same for several models at once. With <paramref name="adHoc"/> (per-query options that differ from
    /// the stored results') the models are computed on the fly over every journey (<see cref="AdHocAttribution"/>)
    /// instead of read from attribution_results: slower, but any lookback or "paid clicks first" can be asked.
    /// With <paramref name="channel"/> only the credit of that channel's touches and that channel's spend.
    /// </summary>
    public Task<Dictionary<string, List<AttributionSummaryRow>>> SummarizeAsync(string workspace, IReadOnlyCollection<string> models,
        AttributionGroupBy groupBy, DateTime? from, DateTime? to, AttributionSettings? adHoc, string? channel, CancellationToken cancellationToken)
    {
        var (column, spendKey) = Keys(groupBy);
        var range = new TimeRange(from, to);
        using var connection = _database.OpenReader();
        if (adHoc is not null)
        {
            using var stream = _database.OpenReader();
            AdHocAttribution.Fill(connection, stream, workspace, adHoc, models, range, groupBy, channel);
        }

        // A compare's stored sums in two statements (StoredSums) rather than one read of the view per model.
        var together = adHoc is null && models.Count > 1;
        if (together) { StoredSums.Fill(connection, workspace, models, column, range, channel); }
        var byModel = new Dictionary<string, List<AttributionSummaryRow>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var attributed = adHoc is not null ? $"SELECT k, conversions, revenue FROM {AdHocAttribution.Table} WHERE model = $model"
                : together ? StoredSums.Of
                : Attributed("attribution_results", $"coalesce({column}, '(none)')", range, channel);
            byModel[model] = Summarize(connection, attributed, workspace, model, spendKey, range, channel);
        }

        return Task.FromResult(byModel);
    }

    /// <summary>
    /// The summary of one model per UTC day in one query: the same statement grouped by <c>yyyy-MM-dd|key</c>
    /// (conversions by their day, spend by its date), split by <see cref="DailyKeys"/>.
    /// </summary>
    public Task<List<DailySummaryRow>> SummarizeDailyAsync(string workspace, string model, AttributionGroupBy groupBy, DateTime from, DateTime to,
        string? channel, CancellationToken cancellationToken)
    {
        var (column, spendKey) = Keys(groupBy);
        using var connection = _database.OpenReader();
        var range = new TimeRange(from, to);
        var rows = Summarize(connection, Attributed("attribution_results", $"strftime(conversion_ts, '%Y-%m-%d') || '|' || coalesce({column}, '(none)')", range, channel),
            workspace, model, $"strftime(date, '%Y-%m-%d') || '|' || ({spendKey})", range, channel);
        return Task.FromResult(DailyKeys.Rows(rows));
    }

    /// <summary>The results column and the spend expression a group is keyed by.</summary>
    private static (string Column, string SpendKey) Keys(AttributionGroupBy groupBy) =>
        groupBy switch
        {
            AttributionGroupBy.Channel => ("channel", "channel"),
            AttributionGroupBy.Source => ("source", AdSpendSchema.SourceExpression),
            // By platform id when some touch carried it as utm_campaign, else by name (CampaignSpendKeys, the rule's pure form).
            _ => ("campaign", "CASE WHEN campaign_id <> '' AND campaign_id IN (SELECT campaign FROM attribution_touches WHERE workspace = $ws AND campaign IS NOT NULL) " +
                "THEN campaign_id ELSE campaign END"),
        };

    /// <summary>The credit and revenue of <c>$model</c> per <paramref name="key"/> in <paramref name="results"/> (columns k, conversions, revenue).</summary>
    private static string Attributed(string results, string key, TimeRange range, string? channel) => $"""
        SELECT {key} AS k, sum(credit) AS conversions, sum(revenue_credit) AS revenue
        FROM {results}
        WHERE workspace = $ws AND model = $model {OnlyChannel(channel)}
          {range.Where("conversion_ts")}
        GROUP BY k
        """;

    /// <summary>Credit is filtered after the model spread it over the whole path, so a channel keeps its share, not the path's.</summary>
    private static string OnlyChannel(string? channel) => channel is null ? "" : "AND channel = $channel";

    /// <param name="attributed">The model's sums per key (<see cref="Attributed"/>, or the on-the-fly sums), joined here with spend per key.</param>
    private static List<AttributionSummaryRow> Summarize(DuckDBConnection connection, string attributed, string workspace, string model,
        string spendKey, TimeRange range, string? channel)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH attributed AS ({attributed}),
            spent AS (
                SELECT {spendKey} AS k, CAST(sum(spend) AS DOUBLE) AS spend
                FROM ad_spend
                WHERE workspace = $ws AND NOT currency_flagged {OnlyChannel(channel)}
                  {range.Where("date")}
                GROUP BY k)
            SELECT coalesce(a.k, s.k) AS key, coalesce(a.conversions, 0), coalesce(a.revenue, 0), s.spend
            FROM attributed a FULL OUTER JOIN spent s ON a.k = s.k
            ORDER BY 3 DESC, 2 DESC, key
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("model", model));
        if (channel is not null) { command.Parameters.Add(new DuckDBParameter("channel", channel)); }
        range.Bind(command);
        using var reader = command.ExecuteReader();
        var rows = new List<AttributionSummaryRow>();
        while (reader.Read())
        {
            rows.Add(SummaryArithmetic.Row(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.IsDBNull(3) ? null : reader.GetDouble(3)));
        }

        return rows;
    }
}
