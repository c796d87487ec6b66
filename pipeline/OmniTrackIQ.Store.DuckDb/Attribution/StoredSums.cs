using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The stored results of several models (a compare) summed per model and key in two statements instead of one read of the
/// <c>attribution_results</c> view per model: every asked heuristic's sums side by side from one scan of
/// <c>attribution_touches</c>, and Markov's and Shapley's from one per-conversion aggregate that carries both denominators
/// (the view computes that aggregate, over every conversion, once per model). The sums land in the connection's temp table
/// <c>stored_sums</c> (model, k, conversions, revenue), which the summary joins with spend as it joins the view's sums.
/// Each credit and revenue credit is the view's expression, added per key in the order of the touches' scan, as the view's
/// per-model read adds them, so the figures are the view's (bench/RESULTS.md "Issue 21, session 13: the analyst's answers").
/// A key whose credits are all 0 under a model gets no row for it, as the view's <c>credit &gt; 0</c> leaves none.
/// </summary>
internal static class StoredSums
{
    public const string Table = "stored_sums";

    /// <param name="column">The touches' column the sums are keyed by (channel, source or campaign; a missing one reads '(none)').</param>
    /// <param name="channel">Only the credit of this channel's touches, when given.</param>
    public static void Fill(DuckDBConnection connection, string workspace, IReadOnlyCollection<string> models, string column, TimeRange range,
        string? channel)
    {
        var key = $"coalesce(t.{column}, '(none)')";
        var onlyChannel = channel is null ? "" : "AND t.channel = $channel";
        var heuristics = AttributionModels.Heuristics.Select(h => h.Name).Where(models.Contains).ToList();
        var dataDriven = new[] { AttributionModels.Markov, AttributionModels.Shapley }.Where(models.Contains).ToList();
        var parts = new List<string>();
        if (heuristics.Count > 0) { parts.Add(Unpivot(Heuristics(heuristics, key, range, onlyChannel), heuristics)); }
        if (dataDriven.Count > 0) { parts.Add(Unpivot(DataDriven(dataDriven, key, range, onlyChannel), dataDriven)); }
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE OR REPLACE TEMP TABLE {Table} AS
            {string.Join("\nUNION ALL\n", parts)}
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        if (channel is not null) { command.Parameters.Add(new DuckDBParameter("channel", channel)); }
        range.Bind(command);
        command.ExecuteNonQuery();
    }

    /// <summary>The sums of one model, in the columns the summary joins with spend (k, conversions, revenue).</summary>
    public static string Of => $"SELECT k, conversions, revenue FROM {Table} WHERE model = $model";

    /// <summary>One row per (model, key) from the side-by-side sums (columns <c>c_&lt;model&gt;</c>, <c>r_&lt;model&gt;</c>), none where a model credited nothing.</summary>
    private static string Unpivot(string sums, List<string> models)
    {
        var rows = models.Select(m => $"SELECT '{m}' AS model, k, c_{m} AS conversions, r_{m} AS revenue FROM s WHERE c_{m} IS NOT NULL");
        return $"""
            SELECT * FROM (
                WITH s AS MATERIALIZED ({sums})
                {string.Join("\nUNION ALL\n", rows)})
            """;
    }

    /// <summary>Each heuristic's credit column summed where it credited (the view's <c>credit_&lt;model&gt; &gt; 0</c>), in one scan.</summary>
    private static string Heuristics(List<string> models, string key, TimeRange range, string onlyChannel)
    {
        var sums = models.Select(m =>
            $"sum(credit_{m}) FILTER (WHERE credit_{m} > 0) AS c_{m}, sum(credit_{m} * revenue) FILTER (WHERE credit_{m} > 0) AS r_{m}");
        return $"""
            SELECT {key} AS k, {string.Join(", ", sums)}
            FROM attribution_touches t
            WHERE t.workspace = $ws {onlyChannel} {range.Where("t.conversion_ts")}
            GROUP BY k
            """;
    }

    /// <summary>
    /// Markov's and Shapley's credits by the view's rule (<see cref="AttributionSchema.CreateResultsView"/>): a touch's channel
    /// weight over its channel's touches in the path, over the conversion's sum of that; 1/n when no channel has weight. One
    /// aggregate per conversion carries every asked model's denominator; the channel filter applies to the credited touches, never
    /// to the denominators (a channel keeps its share of the whole path).
    /// </summary>
    private static string DataDriven(List<string> models, string key, TimeRange range, string onlyChannel)
    {
        var weightJoins = string.Join("\n", models.Select(m => $"""
            LEFT JOIN attribution_channel_models w_{m}
                   ON w_{m}.workspace = t.workspace AND w_{m}.model = '{m}' AND w_{m}.channel = t.channel AND w_{m}.weight > 0
            """));
        var totals = string.Join(", ", models.Select(m => $"sum(coalesce(w_{m}.weight, 0) / t.channel_touches) AS total_{m}"));
        var credits = string.Join(", ", models.Select(m =>
            $"CASE WHEN d.total_{m} > 0 THEN coalesce(w_{m}.weight, 0) / t.channel_touches / d.total_{m} ELSE 1.0 / d.touches END AS credit_{m}"));
        var sums = string.Join(", ", models.Select(m =>
            $"sum(credit_{m}) FILTER (WHERE credit_{m} > 0) AS c_{m}, sum(credit_{m} * revenue) FILTER (WHERE credit_{m} > 0) AS r_{m}"));
        return $"""
            SELECT k, {sums}
            FROM (
                SELECT {key} AS k, t.revenue, {credits}
                FROM attribution_touches t
                {weightJoins}
                JOIN (SELECT t.workspace, t.conversion_id, {totals}, count(*) AS touches
                      FROM attribution_touches t
                      {weightJoins}
                      WHERE t.workspace = $ws AND t.credit_linear > 0 {range.Where("t.conversion_ts")}
                      GROUP BY t.workspace, t.conversion_id) d
                  ON d.workspace = t.workspace AND d.conversion_id = t.conversion_id
                WHERE t.workspace = $ws AND t.credit_linear > 0 {onlyChannel} {range.Where("t.conversion_ts")})
            GROUP BY k
            """;
    }
}
