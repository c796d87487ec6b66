using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// The reference the one-pass <see cref="AdHocCredits"/> is held to: the on-the-fly computation as it was before it
/// (session 10), kept here verbatim: the heuristics per journey, and Markov / Shapley fitted over every path in a first
/// pass over the journeys, then spread over each conversion's kept touches in a second pass.
/// </summary>
internal sealed class TwoPassCredits
{
    private readonly JourneyAttributor _attributor;
    private readonly JourneyAttributor _fitter;
    private readonly IReadOnlyCollection<string> _models;
    private readonly List<string> _dataDriven;
    private readonly int _markovOrder;
    private readonly Dictionary<string, (IReadOnlyList<string> Channels, double Conversions, double Value, double Nulls)> _paths = new(StringComparer.Ordinal);
    private Dictionary<string, Dictionary<string, double>> _weights = new(StringComparer.Ordinal);
    private double[] _credits = new double[16];

    public TwoPassCredits(AttributionSettings settings, IReadOnlyCollection<string> models)
    {
        // Each pass computes only what it reads: the credits of the asked heuristics (a model's do not depend on the others'),
        // or the paths the data-driven models are fitted on.
        _attributor = new JourneyAttributor(settings.ToOptions(), [.. AttributionModels.Heuristics.Where(h => models.Contains(h.Name))], withPaths: false);
        _fitter = new JourneyAttributor(settings.ToOptions(), []);
        _models = models;
        _dataDriven = [.. models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley)];
        _markovOrder = settings.MarkovOrder;
    }

    /// <summary>A data-driven model is asked: every journey goes to <see cref="Fit"/>, then <see cref="FinishFit"/>, before the first <see cref="Credit"/>.</summary>
    public bool NeedsFit => _dataDriven.Count > 0;

    /// <summary>Both passes over a synchronous journey stream the store can open twice (DuckDB).</summary>
    public static IEnumerable<CreditRow> Compute(Func<IEnumerable<PersonJourney>> journeys, AttributionSettings settings, IReadOnlyCollection<string> models)
    {
        var credits = new TwoPassCredits(settings, models);
        if (credits.NeedsFit)
        {
            foreach (var journey in journeys()) { credits.Fit(journey); }
            credits.FinishFit();
        }

        foreach (var journey in journeys())
        {
            foreach (var row in credits.Credit(journey)) { yield return row; }
        }
    }

    /// <summary>First pass: the journey's paths (converting and not) under these options join the totals the models are fitted on.</summary>
    public void Fit(PersonJourney journey)
    {
        foreach (var path in _fitter.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs).Paths)
        {
            var key = path.ToString();
            _paths[key] = _paths.TryGetValue(key, out var t)
                ? (t.Channels, t.Conversions + path.Conversions, t.Value + path.Value, t.Nulls + path.Nulls)
                : (path.Channels, path.Conversions, path.Value, path.Nulls);
        }
    }

    /// <summary>Fits Markov removal effects and/or Shapley values over the totals.</summary>
    public void FinishFit()
    {
        var paths = _paths.Values.Select(t => new PathCount(t.Channels, t.Conversions, t.Value, t.Nulls)).ToList();
        _weights = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var model in _dataDriven)
        {
            var channelWeights = _weights[model] = new Dictionary<string, double>(StringComparer.Ordinal);
            if (paths.Count == 0) { continue; }
            if (model == AttributionModels.Markov)
            {
                foreach (var (channel, effect) in MarkovModel.Compute(paths, _markovOrder).RemovalEffects) { channelWeights[channel] = effect; }
            }
            else
            {
                foreach (var (channel, credit) in ShapleyModel.Compute(paths).Channels) { channelWeights[channel] = credit.Conversions; }
            }
        }
    }

    /// <summary>Second pass: the credited rows of one journey's conversions under every asked model.</summary>
    public IEnumerable<CreditRow> Credit(PersonJourney journey)
    {
        foreach (var attributed in _attributor.Attribute(journey.Touches, journey.Conversions, journey.LeadTimestampMs).Conversions)
        {
            var conversion = attributed.Conversion;
            if (attributed.KeptIndices.Length == 0)
            {
                foreach (var model in _models) { yield return new CreditRow(model, null, conversion, 1); }
                continue;
            }

            foreach (var credit in attributed.Credits)
            {
                if (_models.Contains(credit.Model)) { yield return new CreditRow(credit.Model, attributed.Path[credit.TouchIndex], conversion, credit.Credit); }
            }

            if (_weights.Count == 0) { continue; }
            var kept = attributed.KeptTouches;
            if (_credits.Length < kept.Length) { _credits = new double[kept.Length * 2]; }
            foreach (var (model, channelWeights) in _weights)
            {
                ChannelWeightCredits.Distribute(channelWeights, kept, _credits);
                for (var i = 0; i < kept.Length; i++)
                {
                    if (_credits[i] > 0) { yield return new CreditRow(model, kept[i], conversion, _credits[i]); }
                }
            }
        }
    }
}
