using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>One credited touch of a conversion under one model; a null touch is an unattributed conversion (credit 1).</summary>
public readonly record struct CreditRow(string Model, Touchpoint? Touch, JourneyConversion Conversion, double Credit)
{
    public double RevenueCredit => Credit * Conversion.Revenue;
}

/// <summary>
/// Attribution under per-query options (a lookback or "paid clicks first" other than the workspace's), for any
/// store: the heuristics per journey, and Markov / Shapley fitted over every path under those options in a first
/// pass, then spread over each conversion's kept touches. The store streams the journeys (twice when a
/// data-driven model is asked) and sums the rows with its summary query; nothing is stored.
/// </summary>
public static class AdHocCredits
{
    /// <param name="journeys">Opens a new stream of every journey of the workspace.</param>
    public static IEnumerable<CreditRow> Compute(Func<IEnumerable<PersonJourney>> journeys, AttributionSettings settings, IReadOnlyCollection<string> models)
    {
        var attributor = new JourneyAttributor(settings.ToOptions(), AttributionModels.Heuristics);
        var dataDriven = models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley).ToList();
        var weights = dataDriven.Count == 0 ? [] : FitWeights(attributor, journeys(), dataDriven, settings.MarkovOrder);
        var credits = new double[16];
        foreach (var journey in journeys())
        {
            foreach (var attributed in Attribute(attributor, journey).Conversions)
            {
                var conversion = attributed.Conversion;
                if (attributed.KeptIndices.Length == 0)
                {
                    foreach (var model in models) { yield return new CreditRow(model, null, conversion, 1); }
                    continue;
                }

                foreach (var credit in attributed.Credits)
                {
                    if (models.Contains(credit.Model)) { yield return new CreditRow(credit.Model, attributed.Path[credit.TouchIndex], conversion, credit.Credit); }
                }

                if (weights.Count == 0) { continue; }
                var kept = attributed.KeptTouches;
                if (credits.Length < kept.Length) { credits = new double[kept.Length * 2]; }
                foreach (var (model, channelWeights) in weights)
                {
                    ChannelWeightCredits.Distribute(channelWeights, kept, credits);
                    for (var i = 0; i < kept.Length; i++)
                    {
                        if (credits[i] > 0) { yield return new CreditRow(model, kept[i], conversion, credits[i]); }
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
}
