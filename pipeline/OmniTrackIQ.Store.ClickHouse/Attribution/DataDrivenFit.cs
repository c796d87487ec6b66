using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.ClickHouse.Attribution;

/// <summary>
/// Markov and Shapley over the workspace's current paths (each person's newest valid paths, merged-away people
/// left out), kept per channel in <c>attribution_channel_models</c> under the run; per-conversion credits are derived
/// from these weights when a summary asks (as DuckDB's results view does).
/// </summary>
internal static class DataDrivenFit
{
    public static async Task RefitAsync(ClickHouseDatabase database, string workspace, string ws, RunState upTo, int markovOrder, CancellationToken cancellationToken)
    {
        var db = database.Name;
        var paths = new List<PathCount>();
        await database.ReadRowsAsync($"""
            SELECT path, sum(conversions) AS c, sum(conversion_value) AS v, sum(nulls) AS n FROM {db}.person_paths
            WHERE workspace = {ws} AND deleted = 0 AND (person, run) IN (
                SELECT person, max(run) FROM {db}.person_paths WHERE workspace = {ws} AND {upTo.ValidRuns()} GROUP BY person)
            GROUP BY path ORDER BY path
            """,
            row => paths.Add(new PathCount(row.GetProperty("path").GetString()!.Split(JourneyAttributor.Separator),
                row.GetProperty("c").GetDouble(), row.GetProperty("v").GetDouble(), row.GetProperty("n").GetDouble())),
            cancellationToken);

        var rows = new List<object?[]>();
        if (paths.Count > 0)
        {
            var markov = MarkovModel.Compute(paths, markovOrder);
            foreach (var (channel, effect) in markov.RemovalEffects)
            {
                var credit = markov.Channels[channel];
                rows.Add([workspace, upTo.Run, AttributionModels.Markov, channel, effect, credit.Conversions, credit.Value, 0d]);
            }

            var shapley = ShapleyModel.Compute(paths);
            foreach (var (channel, credit) in shapley.Channels)
            {
                rows.Add([workspace, upTo.Run, AttributionModels.Shapley, channel, credit.Conversions, credit.Conversions, credit.Value, shapley.StandardErrors[channel].Conversions]);
            }
        }

        if (rows.Count > 0) { await database.InsertAsync("attribution_channel_models", AttributionTables.ChannelModelColumns, rows, cancellationToken); }
    }
}
