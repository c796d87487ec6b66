using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// One credited touch of a conversion under one model; a null touch is an unattributed conversion (credit 1).
/// A data-driven row (<see cref="AdHocCredits.Finish"/>) carries what the answer groups and filters by: the touch's channel
/// and the part of it the answer is grouped by (its source or campaign; not its medium, time or flags), the conversion's
/// time and revenue (not its order id).
/// </summary>
public readonly record struct CreditRow(string Model, Touchpoint? Touch, JourneyConversion Conversion, double Credit)
{
    public double RevenueCredit => Credit * Conversion.Revenue;
}

/// <summary>
/// Attribution under per-query options (a lookback or "paid clicks first" other than the workspace's), for any store, in
/// one pass over the journeys: each journey is attributed once (<see cref="Add"/>), which yields the asked heuristics'
/// credits at once and, when Markov or Shapley is asked, adds the journey's paths to the totals they are fitted on and
/// remembers each conversion's kept touches as the number of a distinct kept path (<see cref="DistinctTouchPaths"/>: the
/// channels and grouped keys of its touches, which is all a split and a sum read of them).
/// <see cref="Finish"/> fits the models and yields their credits, conversion by conversion in the order they came, each
/// distinct path's split computed once: the rows, and so every sum a store adds them into, are those of the two-pass
/// computation (fit over every journey, then credit every journey) to the last bit. Memory holds one journey, the path
/// totals, the distinct kept paths and 24 bytes per conversion.
/// </summary>
public sealed class AdHocCredits
{
    private readonly JourneyAttributor _attributor;
    private readonly IReadOnlyCollection<string> _models;
    private readonly List<string> _dataDriven;
    private readonly int _markovOrder;
    private readonly Dictionary<string, (IReadOnlyList<string> Channels, double Conversions, double Value, double Nulls)> _paths = new(StringComparer.Ordinal);
    private readonly DistinctTouchPaths _keptPaths;
    private readonly List<PendingConversion> _pending = [];
    private Touchpoint[] _kept = new Touchpoint[16];

    /// <param name="groupBy">What the answer sums by: a data-driven row keeps that part of its touch (and the channel).</param>
    public AdHocCredits(AttributionSettings settings, IReadOnlyCollection<string> models, AttributionGroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(models);
        _models = models;
        _dataDriven = [.. models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley)];
        _markovOrder = settings.MarkovOrder;
        _keptPaths = new DistinctTouchPaths(groupBy);
        // Only what is read is computed: the asked heuristics' credits, and the per-path keys only when a model is fitted.
        _attributor = new JourneyAttributor(settings.ToOptions(), [.. AttributionModels.Heuristics.Where(h => models.Contains(h.Name))],
            withPaths: _dataDriven.Count > 0);
    }

    /// <summary>Every credit of the journeys, read once (a store with a synchronous stream: DuckDB).</summary>
    public static IEnumerable<CreditRow> Compute(IEnumerable<PersonJourney> journeys, AttributionSettings settings, IReadOnlyCollection<string> models,
        AttributionGroupBy groupBy)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        var credits = new AdHocCredits(settings, models, groupBy);
        foreach (var journey in journeys)
        {
            foreach (var row in credits.Add(journey)) { yield return row; }
        }

        foreach (var row in credits.Finish()) { yield return row; }
    }

    /// <summary>One journey: the asked heuristics' credits now; Markov's and Shapley's, which need every path first, from <see cref="Finish"/>.</summary>
    public IEnumerable<CreditRow> Add(PersonJourney journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        var result = _attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs);
        if (_dataDriven.Count > 0) { AddPaths(result.Paths); }
        foreach (var attributed in result.Conversions)
        {
            var conversion = attributed.Conversion;
            var keptIndices = attributed.KeptIndices;
            if (keptIndices.Length == 0)
            {
                foreach (var model in _models)
                {
                    if (!_dataDriven.Contains(model)) { yield return new CreditRow(model, null, conversion, 1); }
                }

                if (_dataDriven.Count > 0) { _pending.Add(new PendingConversion(PendingConversion.NoPath, conversion.TimestampMs, conversion.Revenue)); }
                continue;
            }

            // The attributor was built with the asked heuristics only, so every credit it gives is asked for.
            foreach (var credit in attributed.Credits) { yield return new CreditRow(credit.Model, attributed.Path[credit.TouchIndex], conversion, credit.Credit); }

            if (_dataDriven.Count == 0) { continue; }
            if (_kept.Length < keptIndices.Length) { _kept = new Touchpoint[keptIndices.Length * 2]; }
            for (var i = 0; i < keptIndices.Length; i++) { _kept[i] = attributed.Path[keptIndices[i]]; }
            _pending.Add(new PendingConversion(_keptPaths.Intern(_kept.AsSpan(0, keptIndices.Length)), conversion.TimestampMs, conversion.Revenue));
        }
    }

    /// <summary>After the last <see cref="Add"/>: Markov and Shapley fitted over every path, then their credits, conversion by conversion in the order they came.</summary>
    public IEnumerable<CreditRow> Finish()
    {
        if (_dataDriven.Count == 0) { yield break; }
        var paths = _paths.Values.Select(t => new PathCount(t.Channels, t.Conversions, t.Value, t.Nulls)).ToList();
        foreach (var model in _dataDriven)
        {
            var weights = paths.Count == 0 ? new Dictionary<string, double>(StringComparer.Ordinal) : Fit(model, paths);
            // Each distinct kept path's split, computed the first time a conversion needs it.
            var splits = new double[]?[_keptPaths.Count];
            foreach (var pending in _pending)
            {
                var conversion = new JourneyConversion("", pending.TimestampMs, pending.Revenue);
                if (pending.Path == PendingConversion.NoPath)
                {
                    yield return new CreditRow(model, null, conversion, 1);
                    continue;
                }

                var touches = _keptPaths[pending.Path];
                var split = splits[pending.Path] ??= Split(weights, touches);
                for (var i = 0; i < touches.Length; i++)
                {
                    if (split[i] > 0) { yield return new CreditRow(model, touches[i], conversion, split[i]); }
                }
            }
        }
    }

    /// <summary>The journey's paths (converting and not) under these options join the totals the models are fitted on, in the order they come.</summary>
    private void AddPaths(IReadOnlyList<PathCount> journeyPaths)
    {
        foreach (var path in journeyPaths)
        {
            var key = path.ToString();
            _paths[key] = _paths.TryGetValue(key, out var t)
                ? (t.Channels, t.Conversions + path.Conversions, t.Value + path.Value, t.Nulls + path.Nulls)
                : (path.Channels, path.Conversions, path.Value, path.Nulls);
        }
    }

    /// <summary>Markov's removal effects or Shapley's values per channel, over the totals.</summary>
    private Dictionary<string, double> Fit(string model, List<PathCount> paths)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        if (model == AttributionModels.Markov)
        {
            foreach (var (channel, effect) in MarkovModel.Compute(paths, _markovOrder).RemovalEffects) { weights[channel] = effect; }
        }
        else
        {
            foreach (var (channel, credit) in ShapleyModel.Compute(paths).Channels) { weights[channel] = credit.Conversions; }
        }

        return weights;
    }

    private static double[] Split(Dictionary<string, double> weights, Touchpoint[] touches)
    {
        var split = new double[touches.Length];
        ChannelWeightCredits.Distribute(weights, touches, split);
        return split;
    }

    /// <summary>A conversion whose data-driven credits wait for the fit: its distinct kept path (or none) and what a row reads of it.</summary>
    private readonly record struct PendingConversion(int Path, long TimestampMs, double Revenue)
    {
        public const int NoPath = -1;
    }
}
