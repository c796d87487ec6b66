using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The data-driven models in the store: fits Markov (removal effects) and Shapley over the workspace's
/// aggregated paths (<c>person_paths</c>, converting and non-converting) and keeps the channel-level output
/// in <c>attribution_channel_models</c>. The per-conversion "markov" / "shapley" rows are derived from it
/// by the <c>attribution_results</c> view (<see cref="AttributionSchema.CreateResultsView"/>), so a refit
/// costs one aggregate over the paths, not a rewrite of every conversion.
/// </summary>
internal static class DataDrivenCredits
{
    public static void Refit(DuckDBConnection connection, DuckDBTransaction transaction, string workspace, int markovOrder, DateTime computedAt)
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

        WorkspaceSql.Execute(connection, transaction, workspace, "DELETE FROM attribution_channel_models WHERE workspace = $ws");
        using (var appender = connection.CreateAppender("attribution_channel_models"))
        {
            foreach (var (model, channel, weight, credit, error) in weights)
            {
                appender.CreateRow().AppendValue(workspace).AppendValue(model).AppendValue(channel).AppendValue(weight)
                    .AppendValue(credit.Conversions).AppendValue(credit.Value).AppendValue(error).AppendValue(computedAt).EndRow();
            }
        }
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
}
