using OmniTrackIQ.Attribution.Heuristics;
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
/// credits at once and, when Markov or Shapley is asked, adds the journey's paths to the totals they are fitted on
/// (<see cref="AdHocPathTotals"/>) and remembers each conversion's kept touches as the number of a distinct kept path
/// (<see cref="DistinctTouchPaths"/>: the channels and grouped keys of its touches, which is all a split and a sum read of them).
/// <see cref="Finish"/> fits the models and yields their credits, conversion by conversion in the order they came, each
/// distinct path's split computed once: the rows, and so every sum a store adds them into, are those of the two-pass
/// computation (fit over every journey, then credit every journey) to the last bit.
/// The paths follow <see cref="JourneyAttributor"/>'s rules (window, cap, lead touch, the non-converting tail), computed here
/// over buffers kept from journey to journey with the touches' strings as numbers (<see cref="StringNumbers"/>), so a journey
/// allocates nothing but its rows' list growth and its new distinct paths. Memory holds one journey, the path totals, the
/// distinct kept paths and 24 bytes per conversion. Not thread-safe.
/// </summary>
public sealed class AdHocCredits
{
    private readonly AttributionOptions _options;
    private readonly (string Name, HeuristicModel Model)[] _heuristics;
    private readonly string[] _unattributedHeuristics;
    private readonly List<string> _dataDriven;
    private readonly int _markovOrder;
    private readonly long _maxAgeMs;
    private readonly StringNumbers _strings = new();
    private readonly AdHocPathTotals _totals;
    private readonly DistinctTouchPaths _keptPaths;
    private readonly List<PendingConversion> _pending = [];
    // Grouped by source or campaign: each distinct kept path's channel sequence in the fit's totals (AdHocPathTotals.SequenceOf).
    private readonly List<int> _sequenceOfPath = [];
    private readonly List<CreditRow> _rows = [];

    // The summing form (AdHocCreditSums): credits go to these sums instead of rows, a model by its number (heuristics in
    // _heuristics order, then _dataDriven), an unattributed heuristic by the number of its name.
    private readonly AdHocCreditSums? _sums;
    private readonly int[] _unattributedNumbers;

    // Scratch kept from journey to journey: the touches with the lead flag, their channel and grouped numbers, a path's kept
    // indices, touches and numbers, and one model's credits.
    private Touchpoint[] _journey = new Touchpoint[16];
    private int[] _channelNumbers = new int[16];
    private int[] _groupedNumbers = new int[16];
    private int[] _selected = new int[16];
    private Touchpoint[] _kept = new Touchpoint[16];
    private int[] _keptChannels = new int[16];
    private int[] _keptPairs = new int[32];
    private double[] _credits = new double[16];

    /// <param name="groupBy">What the answer sums by: a data-driven row keeps that part of its touch (and the channel).</param>
    public AdHocCredits(AttributionSettings settings, IReadOnlyCollection<string> models, AttributionGroupBy groupBy)
        : this(settings, models, groupBy, null)
    {
    }

    internal AdHocCredits(AttributionSettings settings, IReadOnlyCollection<string> models, AttributionGroupBy groupBy, AdHocCreditSums? sums)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(models);
        _options = settings.ToOptions();
        _maxAgeMs = _options.Lookback is { } lookback ? (long)lookback.TotalMilliseconds : long.MaxValue;
        _dataDriven = [.. models.Where(m => m is AttributionModels.Markov or AttributionModels.Shapley)];
        _unattributedHeuristics = [.. models.Where(m => !_dataDriven.Contains(m))];
        _markovOrder = settings.MarkovOrder;
        _keptPaths = new DistinctTouchPaths(groupBy);
        _totals = new AdHocPathTotals(_strings);
        // Only what is read is computed: the asked heuristics' credits (in the library's order), the paths only when a model is fitted.
        _heuristics = [.. AttributionModels.Heuristics.Where(h => models.Contains(h.Name))];
        _sums = sums;
        ModelNames = [.. _heuristics.Select(h => h.Name), .. _dataDriven];
        // A name that is no model (the API refuses them) has no sums.
        _unattributedNumbers = [.. _unattributedHeuristics.Select(m => Array.IndexOf(ModelNames, m)).Where(n => n >= 0)];
    }

    /// <summary>The summing form's model numbers: each number's name.</summary>
    internal string[] ModelNames { get; }

    /// <summary>The numbers of the touches' strings (a summing form's keys are these numbers).</summary>
    internal StringNumbers Strings => _strings;

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

    /// <summary>
    /// One journey: the asked heuristics' credits now (the list is reused: read it before the next call); Markov's and
    /// Shapley's, which need every path first, from <see cref="Finish"/>.
    /// </summary>
    public List<CreditRow> Add(PersonJourney journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        if (_sums is not null) { throw new InvalidOperationException("A summing pass gives no rows: use AdHocCreditSums."); }
        _rows.Clear();
        AddJourney(journey);
        return _rows;
    }

    /// <summary>The summing form's <see cref="Add"/>: the same credits, into the sums.</summary>
    internal void AddSummed(PersonJourney journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        AddJourney(journey);
    }

    /// <summary>The summing form's <see cref="Add"/> over a journey decoded into a store's buffers (no journey object).</summary>
    internal void AddSummed(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<JourneyConversion> conversions, long? leadTimestampMs) =>
        AddJourney(touches, conversions, leadTimestampMs);

    private void AddJourney(PersonJourney journey)
    {
        // A decoded journey's touches and conversions are arrays: read as spans, not element by element through the interface.
        var touches = journey.Touches as Touchpoint[] ?? [.. journey.Touches];
        var conversions = journey.Conversions as JourneyConversion[] ?? [.. journey.Conversions];
        AddJourney(touches, conversions, journey.LeadTimestampMs);
    }

    private void AddJourney(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<JourneyConversion> conversions, long? leadTimestampMs)
    {
        var withPaths = _dataDriven.Count > 0;
        var summing = _sums is not null;
        var touchCount = Load(touches, leadTimestampMs, withPaths || summing);
        var end = 0;
        var lastConversionMs = long.MinValue;
        for (var c = 0; c < conversions.Length; c++)
        {
            var conversion = conversions[c];
            // Summing, a conversion out of the answer's range adds nothing but its path to the fit.
            var counted = !summing || _sums!.Counts(conversion.TimestampMs);
            while (end < touchCount && _journey[end].TimestampMs <= conversion.TimestampMs) { end++; }
            var start = end;
            while (start > 0 && end - start < JourneyAttributor.DefaultMaxPathTouches && conversion.TimestampMs - _journey[start - 1].TimestampMs <= _maxAgeMs) { start--; }
            lastConversionMs = Math.Max(lastConversionMs, conversion.TimestampMs);
            var path = _journey.AsSpan(start, end - start);
            var keptCount = TouchpointFilter.Select(path, conversion.TimestampMs, _options, _selected);
            if (keptCount == 0)
            {
                if (summing)
                {
                    if (counted) { foreach (var number in _unattributedNumbers) { _sums!.AddNoTouch(number, conversion.Revenue); } }
                }
                else
                {
                    foreach (var model in _unattributedHeuristics) { _rows.Add(new CreditRow(model, null, conversion, 1)); }
                }

                if (withPaths && counted) { _pending.Add(new PendingConversion(PendingConversion.NoPath, conversion.TimestampMs, conversion.Revenue)); }
                continue;
            }

            for (var k = 0; k < keptCount; k++) { _kept[k] = path[_selected[k]]; }
            var kept = _kept.AsSpan(0, keptCount);
            if (withPaths || summing)
            {
                for (var k = 0; k < keptCount; k++)
                {
                    var index = start + _selected[k];
                    _keptChannels[k] = _channelNumbers[index];
                    _keptPairs[2 * k] = _channelNumbers[index];
                    _keptPairs[(2 * k) + 1] = _groupedNumbers[index];
                }
            }

            if (counted) { AddHeuristicCredits(kept, conversion); }
            if (!withPaths) { continue; }
            // The kept path is looked up once for the fit and the split: grouped by channel it is its channel sequence (a
            // touch's grouped number is always -1), else its (channel, grouped) pairs, each knowing its channel sequence.
            var channels = _keptChannels.AsSpan(0, keptCount);
            int keptPath;
            if (_keptPaths.ByChannel)
            {
                var sequence = _totals.SequenceOf(channels);
                _totals.AddToJourney(sequence, 1, conversion.Revenue, 0);
                if (!counted) { continue; }
                keptPath = _keptPaths.OfSequence(sequence, kept, channels);
            }
            else
            {
                if (!counted)
                {
                    _totals.AddToJourney(_totals.SequenceOf(channels), 1, conversion.Revenue, 0);
                    continue;
                }

                keptPath = _keptPaths.Intern(kept, _keptPairs.AsSpan(0, 2 * keptCount), out var added);
                if (added) { _sequenceOfPath.Add(_totals.SequenceOf(channels)); }
                _totals.AddToJourney(_sequenceOfPath[keptPath], 1, conversion.Revenue, 0);
            }

            _pending.Add(new PendingConversion(keptPath, conversion.TimestampMs, conversion.Revenue));
        }

        if (withPaths)
        {
            AddTail(touchCount, lastConversionMs);
            _totals.EndJourney();
        }
    }

    /// <summary>After the last <see cref="Add"/>: Markov and Shapley fitted over every path, then their credits, conversion by conversion in the order they came.</summary>
    public IEnumerable<CreditRow> Finish()
    {
        if (_sums is not null) { throw new InvalidOperationException("A summing pass gives no rows: use AdHocCreditSums."); }
        if (_dataDriven.Count == 0) { yield break; }
        var paths = _totals.ToPathCounts();
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

    /// <summary>The summing form's <see cref="Finish"/>: the same credits, into the sums (each in-range conversion was kept pending).</summary>
    internal void FinishSummed()
    {
        if (_dataDriven.Count == 0) { return; }
        var paths = _totals.ToPathCounts();
        for (var d = 0; d < _dataDriven.Count; d++)
        {
            var model = _heuristics.Length + d;
            var weights = paths.Count == 0 ? new Dictionary<string, double>(StringComparer.Ordinal) : Fit(_dataDriven[d], paths);
            var splits = new double[]?[_keptPaths.Count];
            foreach (var pending in _pending)
            {
                if (pending.Path == PendingConversion.NoPath)
                {
                    _sums!.AddNoTouch(model, pending.Revenue);
                    continue;
                }

                var touches = _keptPaths[pending.Path];
                var numbers = _keptPaths.NumbersOf(pending.Path);
                var split = splits[pending.Path] ??= Split(weights, touches);
                for (var i = 0; i < touches.Length; i++)
                {
                    if (split[i] <= 0) { continue; }
                    var (channel, key) = _keptPaths.ByChannel ? (numbers[i], numbers[i]) : (numbers[2 * i], numbers[(2 * i) + 1]);
                    _sums!.AddTouch(model, key, channel, split[i], pending.Revenue);
                }
            }
        }
    }

    /// <summary>
    /// The journey's touches into the scratch, the lead-creation flag on the last touch at or before the first identify (as
    /// <see cref="JourneyAttributor"/> sets it), and, when paths are kept, each touch's channel and grouped numbers.
    /// </summary>
    private int Load(ReadOnlySpan<Touchpoint> touches, long? leadTimestampMs, bool withNumbers)
    {
        var count = touches.Length;
        if (_journey.Length < count)
        {
            var size = Math.Max(count, _journey.Length * 2);
            _journey = new Touchpoint[size];
            _channelNumbers = new int[size];
            _groupedNumbers = new int[size];
            _selected = new int[size];
            _kept = new Touchpoint[size];
            _keptChannels = new int[size];
            _keptPairs = new int[2 * size];
            _credits = new double[size];
        }

        var lead = -1;
        for (var i = 0; i < count; i++)
        {
            var touch = _journey[i] = touches[i];
            if (i > 0 && touch.TimestampMs < _journey[i - 1].TimestampMs)
            {
                throw new ArgumentException($"Touches must be in time order; index {i} is earlier than index {i - 1}.", nameof(touches));
            }

            if (leadTimestampMs is { } leadMs && touch.TimestampMs <= leadMs) { lead = i; }
            if (withNumbers)
            {
                _channelNumbers[i] = _strings.Of(touch.Channel);
                _groupedNumbers[i] = _keptPaths.GroupedNumber(_strings, touch);
            }
        }

        if (lead >= 0)
        {
            var t = _journey[lead];
            _journey[lead] = new Touchpoint(t.Channel, t.TimestampMs, t.Flags | TouchFlags.LeadCreation, t.Source, t.Medium, t.Campaign);
        }

        return count;
    }

    /// <summary>
    /// The asked heuristics' credits of one conversion, model by model, touch by touch in path order: each model computed over
    /// the kept touches, selected once for every model (what <see cref="PathAttributor"/> computes for each, the same values).
    /// </summary>
    private void AddHeuristicCredits(ReadOnlySpan<Touchpoint> kept, JourneyConversion conversion)
    {
        var credits = _credits.AsSpan(0, kept.Length);
        for (var h = 0; h < _heuristics.Length; h++)
        {
            var (name, model) = _heuristics[h];
            credits.Clear();
            HeuristicModels.Compute(model, kept, conversion.TimestampMs, credits, _options);
            if (_sums is not null)
            {
                // Grouped by channel the key is the channel (its grouped number is -1, a missing source or campaign otherwise).
                var byChannel = _keptPaths.ByChannel;
                for (var k = 0; k < kept.Length; k++)
                {
                    if (credits[k] > 0) { _sums.AddTouch(h, byChannel ? _keptChannels[k] : _keptPairs[(2 * k) + 1], _keptChannels[k], credits[k], conversion.Revenue); }
                }

                continue;
            }

            for (var k = 0; k < kept.Length; k++)
            {
                if (credits[k] > 0) { _rows.Add(new CreditRow(name, kept[k], conversion, credits[k])); }
            }
        }
    }

    /// <summary>The touches after the last conversion: one non-converting path (a null), windowed back from its last touch.</summary>
    private void AddTail(int touchCount, long lastConversionMs)
    {
        var tailStart = 0;
        while (tailStart < touchCount && _journey[tailStart].TimestampMs <= lastConversionMs) { tailStart++; }
        if (tailStart == touchCount) { return; }
        var from = Math.Max(tailStart, touchCount - JourneyAttributor.DefaultMaxPathTouches);
        var tail = _journey.AsSpan(from, touchCount - from);
        var keptCount = TouchpointFilter.Select(tail, tail[^1].TimestampMs, _options, _selected);
        if (keptCount == 0) { return; }
        for (var k = 0; k < keptCount; k++) { _keptChannels[k] = _channelNumbers[from + _selected[k]]; }
        _totals.AddToJourney(_totals.SequenceOf(_keptChannels.AsSpan(0, keptCount)), 0, 0, 1);
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
