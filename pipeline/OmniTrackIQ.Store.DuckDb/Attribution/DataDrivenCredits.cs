using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The data-driven models in the store: fits Markov (removal effects) and Shapley over the workspace's
/// aggregated paths (<c>person_paths</c>, converting and non-converting), keeps the channel-level output in
/// <c>attribution_channel_models</c>, and rewrites the per-conversion "markov" / "shapley" rows from the
/// "linear" rows (which hold exactly the kept touches of every conversion) with the rule of
/// <see cref="ChannelWeightCredits"/>: a channel's weight over the weights of the path's distinct channels,
/// split evenly over its touches; linear when no channel of the path has weight. Done in SQL so a
/// recompute never pulls every conversion into memory.
/// </summary>
internal static class DataDrivenCredits
{
    public static void Recompute(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, int markovOrder, DateTime computedAt)
    {
        var paths = ReadPaths(connection, transaction, workspace);
        var weights = new List<(string Model, string Channel, double Weight, ChannelCredit Credit, double Error)>();
        if (paths.Count > 0)
        {
            var markov = MarkovModel.Compute(paths, markovOrder);
            foreach (var (channel, effect) in markov.RemovalEffects)
            {
                weights.Add((AttributionModels.Markov, channel, effect, markov.Channels[channel], 0));
            }

            var shapley = ShapleyModel.Compute(paths);
            foreach (var (channel, credit) in shapley.Channels)
            {
                weights.Add((AttributionModels.Shapley, channel, credit.Conversions, credit, shapley.StandardErrors[channel].Conversions));
            }
        }

        Execute(connection, transaction, workspace, "DELETE FROM attribution_channel_models WHERE workspace = $ws");
        Execute(connection, transaction, workspace, "DELETE FROM attribution_results WHERE workspace = $ws AND model IN ('markov', 'shapley')");
        using (var appender = connection.CreateAppender("attribution_channel_models"))
        {
            foreach (var (model, channel, weight, credit, error) in weights)
            {
                appender.CreateRow().AppendValue(workspace).AppendValue(model).AppendValue(channel).AppendValue(weight)
                    .AppendValue(credit.Conversions).AppendValue(credit.Value).AppendValue(error).AppendValue(computedAt).EndRow();
            }
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO attribution_results
            WITH base AS (SELECT * FROM attribution_results WHERE workspace = $ws AND model = 'linear'),
            per_channel AS (SELECT conversion_id, channel, count(*) AS n FROM base GROUP BY ALL),
            models AS (SELECT DISTINCT model FROM attribution_channel_models WHERE workspace = $ws
                       UNION SELECT 'markov' UNION SELECT 'shapley'),
            totals AS (
                SELECT m.model, p.conversion_id, sum(CASE WHEN w.weight > 0 THEN w.weight ELSE 0 END) AS total, sum(p.n) AS touches
                FROM per_channel p CROSS JOIN models m
                LEFT JOIN attribution_channel_models w ON w.workspace = $ws AND w.model = m.model AND w.channel = p.channel
                GROUP BY ALL),
            credited AS (
                SELECT b.workspace, b.conversion_id, t.model, b.touch_index, b.channel, b.source, b.medium, b.campaign,
                       b.touch_ts, b.conversion_ts,
                       CASE WHEN t.total > 0 THEN (CASE WHEN w.weight > 0 THEN w.weight ELSE 0 END) / p.n / t.total
                            ELSE 1.0 / t.touches END AS credit,
                       c.revenue
                FROM base b
                JOIN per_channel p ON p.conversion_id = b.conversion_id AND p.channel = b.channel
                JOIN totals t ON t.conversion_id = b.conversion_id
                JOIN conversions c ON c.workspace = $ws AND c.conversion_id = b.conversion_id
                LEFT JOIN attribution_channel_models w ON w.workspace = $ws AND w.model = t.model AND w.channel = b.channel)
            SELECT workspace, conversion_id, model, touch_index, channel, source, medium, campaign, touch_ts, conversion_ts,
                   credit, credit * revenue, $at
            FROM credited WHERE credit > 0
            """;
        insert.Parameters.Add(new DuckDBParameter("ws", workspace));
        insert.Parameters.Add(new DuckDBParameter("at", computedAt));
        insert.ExecuteNonQuery();
    }

    private static List<PathCount> ReadPaths(DuckDBConnection connection, DuckDBTransaction transaction, string workspace)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT path, sum(conversions), sum(conversion_value), sum(nulls) FROM person_paths
            WHERE workspace = $ws GROUP BY path ORDER BY path
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var paths = new List<PathCount>();
        while (reader.Read())
        {
            var channels = reader.GetString(0).Split(JourneyAttributor.Separator);
            paths.Add(new PathCount(channels, reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return paths;
    }

    internal static void Execute(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.ExecuteNonQuery();
    }
}
