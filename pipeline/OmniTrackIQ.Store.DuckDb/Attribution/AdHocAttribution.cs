using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

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

    public static void Fill(DuckDBConnection connection, string workspace, AttributionSettings settings, IReadOnlyCollection<string> models)
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

        var people = IdentityGraph.Load(connection, workspace, out var leadMs);
        var journeys = JourneyReader.Read(connection, workspace, people, scoped: false);
        var attributor = new JourneyAttributor(settings.ToOptions(), AttributionModels.Heuristics);
        var persons = new HashSet<string>(journeys.Touches.Keys, StringComparer.Ordinal);
        persons.UnionWith(journeys.Conversions.Keys);
        var weights = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (model is AttributionModels.Markov or AttributionModels.Shapley)
            {
                weights[model] = FitWeights(attributor, journeys, persons, leadMs, model, settings.MarkovOrder);
            }
        }

        using var appender = connection.CreateAppender(Table);
        var credits = new double[16];
        foreach (var person in persons)
        {
            foreach (var attributed in Attribute(attributor, journeys, person, leadMs).Conversions)
            {
                var conversion = attributed.Conversion;
                if (attributed.KeptChannels.Length == 0)
                {
                    foreach (var model in models) { Append(appender, workspace, model, null, conversion, 1); }
                    continue;
                }

                foreach (var credit in attributed.Credits)
                {
                    if (models.Contains(credit.Model)) { Append(appender, workspace, credit.Model, attributed.Path[credit.TouchIndex], conversion, credit.Credit); }
                }

                if (weights.Count == 0) { continue; }
                var kept = KeptTouches(attributed);
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

    /// <summary>Markov removal effects or Shapley values over every path under these options (first pass).</summary>
    private static Dictionary<string, double> FitWeights(JourneyAttributor attributor, Journeys journeys, HashSet<string> persons,
        Dictionary<string, long> leadMs, string model, int markovOrder)
    {
        var totals = new Dictionary<string, (IReadOnlyList<string> Channels, double Conversions, double Value, double Nulls)>(StringComparer.Ordinal);
        foreach (var person in persons)
        {
            foreach (var path in Attribute(attributor, journeys, person, leadMs).Paths)
            {
                var key = path.ToString();
                totals[key] = totals.TryGetValue(key, out var t)
                    ? (t.Channels, t.Conversions + path.Conversions, t.Value + path.Value, t.Nulls + path.Nulls)
                    : (path.Channels, path.Conversions, path.Value, path.Nulls);
            }
        }

        var paths = totals.Values.Select(t => new PathCount(t.Channels, t.Conversions, t.Value, t.Nulls)).ToList();
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (paths.Count == 0) { return weights; }
        if (model == AttributionModels.Markov)
        {
            foreach (var (channel, effect) in MarkovModel.Compute(paths, markovOrder).RemovalEffects) { weights[channel] = effect; }
        }
        else
        {
            foreach (var (channel, credit) in ShapleyModel.Compute(paths).Channels) { weights[channel] = credit.Conversions; }
        }

        return weights;
    }

    private static JourneyResult Attribute(JourneyAttributor attributor, Journeys journeys, string person, Dictionary<string, long> leadMs) =>
        attributor.Attribute(
            journeys.Touches.TryGetValue(person, out var t) ? t : [],
            journeys.Conversions.TryGetValue(person, out var c) ? c : [],
            leadMs.TryGetValue(person, out var lead) ? lead : null);

    /// <summary>The touches the options kept: exactly those with a linear credit.</summary>
    private static Touchpoint[] KeptTouches(AttributedConversion attributed)
    {
        var kept = new List<Touchpoint>(attributed.KeptChannels.Length);
        foreach (var credit in attributed.Credits)
        {
            if (credit.Model == "linear") { kept.Add(attributed.Path[credit.TouchIndex]); }
        }

        return [.. kept];
    }

    private static void Append(DuckDBAppender appender, string workspace, string model, Touchpoint? touch, JourneyConversion conversion, double credit)
    {
        appender.CreateRow().AppendValue(workspace).AppendValue(model)
            .AppendValue(touch?.Channel ?? AttributionSchema.NoTouchChannel).AppendValue(touch?.Source).AppendValue(touch?.Medium)
            .AppendValue(touch?.Campaign).AppendValue(DateTimeOffset.FromUnixTimeMilliseconds(conversion.TimestampMs).UtcDateTime)
            .AppendValue(credit).AppendValue(credit * conversion.Revenue).EndRow();
    }
}
