using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Attribution under per-query options (a lookback window or "paid clicks first" other than the
/// workspace's): computes the requested models over every journey in memory and leaves their rows in the connection's
/// temp table <c>adhoc_results</c> (the columns the summary reads from attribution_results), so the same
/// summary SQL — spend join included — runs over them. Nothing is written to the stored results.
/// Identity links are those the worker has recorded (at most one tick behind).
/// </summary>
internal static class AdHocAttribution
{
    public const string Table = "adhoc_results";

    /// <param name="connection">Where the temp table is filled and later read.</param>
    /// <param name="stream">A second connection of the same database to stream journeys from (a connection serves one result at a time).</param>
    public static void Fill(DuckDBConnection connection, DuckDBConnection stream, string workspace, AttributionSettings settings, IReadOnlyCollection<string> models)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"""
                CREATE TEMP TABLE IF NOT EXISTS {Table} (workspace VARCHAR, model VARCHAR, channel VARCHAR, source VARCHAR,
                    medium VARCHAR, campaign VARCHAR, conversion_ts TIMESTAMP, credit DOUBLE, revenue_credit DOUBLE);
                DELETE FROM {Table};
                """;
            create.ExecuteNonQuery();
        }

        var people = IdentityGraph.Load(stream, workspace, out var leadMs);
        JourneyReader.SetPeople(stream, people);
        var attributor = new JourneyAttributor(settings.ToOptions(), AttributionModels.Heuristics);
        var dataDriven = models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley).ToList();
        var weights = dataDriven.Count == 0
            ? []
            : FitWeights(attributor, JourneyReader.Stream(stream, workspace, leadMs, scoped: false), dataDriven, settings.MarkovOrder);

        using var appender = connection.CreateAppender(Table);
        var credits = new double[16];
        foreach (var journey in JourneyReader.Stream(stream, workspace, leadMs, scoped: false))
        {
            foreach (var attributed in Attribute(attributor, journey).Conversions)
            {
                var conversion = attributed.Conversion;
                if (attributed.KeptIndices.Length == 0)
                {
                    foreach (var model in models) { Append(appender, workspace, model, null, conversion, 1); }
                    continue;
                }

                foreach (var credit in attributed.Credits)
                {
                    if (models.Contains(credit.Model)) { Append(appender, workspace, credit.Model, attributed.Path[credit.TouchIndex], conversion, credit.Credit); }
                }

                if (weights.Count == 0) { continue; }
                var kept = attributed.KeptTouches;
                if (credits.Length < kept.Length) { credits = new double[kept.Length * 2]; }
                foreach (var (model, channelWeights) in weights)
                {
                    ChannelWeightCredits.Distribute(channelWeights, kept, credits);
                    for (var i = 0; i < kept.Length; i++)
                    {
                        if (credits[i] > 0) { Append(appender, workspace, model, kept[i], conversion, credits[i]); }
                    }
                }
            }
        }
    }

    /// <summary>Markov removal effects and/or Shapley values over every path under these options (a first pass over the journeys).</summary>
    private static Dictionary<string, Dictionary<string, double>> FitWeights(JourneyAttributor attributor, IEnumerable<PersonJourney> journeys,
        List<string> models, int markovOrder)
    {
        var totals = new Dictionary<string, (IReadOnlyList<string> Channels, double Conversions, double Value, double Nulls)>(StringComparer.Ordinal);
        foreach (var journey in journeys)
        {
            foreach (var path in Attribute(attributor, journey).Paths)
            {
                var key = path.ToString();
                totals[key] = totals.TryGetValue(key, out var t)
                    ? (t.Channels, t.Conversions + path.Conversions, t.Value + path.Value, t.Nulls + path.Nulls)
                    : (path.Channels, path.Conversions, path.Value, path.Nulls);
            }
        }

        var paths = totals.Values.Select(t => new PathCount(t.Channels, t.Conversions, t.Value, t.Nulls)).ToList();
        var weights = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var channelWeights = weights[model] = new Dictionary<string, double>(StringComparer.Ordinal);
            if (paths.Count == 0) { continue; }
            if (model == AttributionModels.Markov)
            {
                foreach (var (channel, effect) in MarkovModel.Compute(paths, markovOrder).RemovalEffects) { channelWeights[channel] = effect; }
            }
            else
            {
                foreach (var (channel, credit) in ShapleyModel.Compute(paths).Channels) { channelWeights[channel] = credit.Conversions; }
            }
        }

        return weights;
    }

    private static JourneyResult Attribute(JourneyAttributor attributor, PersonJourney journey) =>
        attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs);

    private static void Append(DuckDBAppender appender, string workspace, string model, Touchpoint? touch, JourneyConversion conversion, double credit)
    {
        appender.CreateRow().AppendValue(workspace).AppendValue(model)
            .AppendValue(touch?.Channel ?? AttributionSchema.NoTouchChannel).AppendValue(touch?.Source).AppendValue(touch?.Medium)
            .AppendValue(touch?.Campaign).AppendValue(DateTimeOffset.FromUnixTimeMilliseconds(conversion.TimestampMs).UtcDateTime)
            .AppendValue(credit).AppendValue(credit * conversion.Revenue).EndRow();
    }
}
