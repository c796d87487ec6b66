using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The stored results of several models at once (a compare), summed per model and key in one statement into the temp
/// table the summary joins with spend (<see cref="AdHocAttribution.Table"/>): one scan of <c>attribution_touches</c>, and
/// Markov's and Shapley's per-conversion denominators from one aggregate, every model's sums per key side by side, where the
/// <c>attribution_results</c> view is read once per model (and builds a denominator aggregate per data-driven model). The
/// credits are the view's, by the same formulas (<see cref="AttributionSchema"/>); only the order the sums add them in
/// differs, below the answer's rounding.
/// </summary>
internal static class StoredSums
{
    /// <param name="column">The touch column the sums are grouped by (a missing value reads '(none)').</param>
    public static void Fill(DuckDBConnection connection, string workspace, IReadOnlyCollection<string> models, string column, TimeRange range, string? channel)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS {AdHocAttribution.Table} (model VARCHAR, k VARCHAR, conversions DOUBLE, revenue DOUBLE);
                DELETE FROM {AdHocAttribution.Table};
                """;
            create.ExecuteNonQuery();
        }

        var heuristics = AttributionModels.Heuristics.Select(h => h.Name).Where(models.Contains).ToList();
        var dataDriven = new[] { AttributionModels.Markov, AttributionModels.Shapley }.Where(models.Contains).ToList();
        var credits = heuristics.Select(m => $"t.credit_{m} AS \"{m}\"").Concat(dataDriven.Select(m => $"""
            CASE WHEN t.credit_linear <= 0 THEN 0 WHEN d.{m}_total > 0 THEN t.{m}_share / d.{m}_total ELSE 1.0 / d.touches END AS "{m}"
            """));
        var asked = heuristics.Concat(dataDriven).ToList();
        // Per model: its credited touches' credit and revenue, and how many there are (a key none of its touches has is not its row).
        var sums = asked.Select((m, i) =>
            $"sum(\"{m}\") FILTER (WHERE \"{m}\" > 0) AS c{i}, sum(\"{m}\" * revenue) FILTER (WHERE \"{m}\" > 0) AS r{i}, count(*) FILTER (WHERE \"{m}\" > 0) AS n{i}");
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH t AS (
                SELECT t.*, coalesce(t.{column}, '(none)') AS k {string.Concat(dataDriven.Select(m => $", coalesce(w_{m}.weight, 0) / t.channel_touches AS {m}_share"))}
                FROM attribution_touches t
                {string.Concat(dataDriven.Select(m => $"""
                    LEFT JOIN attribution_channel_models w_{m}
                           ON w_{m}.workspace = t.workspace AND w_{m}.model = '{m}' AND w_{m}.channel = t.channel AND w_{m}.weight > 0

                    """))}
                WHERE t.workspace = $ws {range.Where("t.conversion_ts")}),
            d AS (
                SELECT conversion_id, count(*) AS touches {string.Concat(dataDriven.Select(m => $", sum({m}_share) AS {m}_total"))}
                FROM t WHERE credit_linear > 0 {(dataDriven.Count == 0 ? "AND false" : "")}
                GROUP BY conversion_id),
            credited AS (
                SELECT t.k, t.revenue, {string.Join(", ", credits)}
                FROM t {(dataDriven.Count == 0 ? "" : "LEFT JOIN d ON d.conversion_id = t.conversion_id")}
                WHERE true {(channel is null ? "" : "AND t.channel = $channel")})
            SELECT k, {string.Join(", ", sums)} FROM credited GROUP BY k
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        if (channel is not null) { command.Parameters.Add(new DuckDBParameter("channel", channel)); }
        range.Bind(command);
        var rows = new List<(string Model, string Key, double Conversions, double Revenue)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                for (var i = 0; i < asked.Count; i++)
                {
                    var at = 1 + (3 * i);
                    if (reader.GetInt64(at + 2) > 0) { rows.Add((asked[i], reader.GetString(0), reader.GetDouble(at), reader.GetDouble(at + 1))); }
                }
            }
        }

        using var appender = connection.CreateAppender(AdHocAttribution.Table);
        foreach (var (model, key, conversions, revenue) in rows)
        {
            appender.CreateRow().AppendValue(model).AppendValue(key).AppendValue(conversions).AppendValue(revenue).EndRow();
        }
    }
}
