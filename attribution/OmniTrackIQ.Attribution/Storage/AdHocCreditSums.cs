using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// An on-the-fly answer's credits summed per model and summary key as they are computed (<see cref="AdHocCredits"/> in its
/// summing form): no <see cref="CreditRow"/> per credited touch (~20M of ~100 bytes for a compare at 1M conversions, each
/// then found a sum by its key's string). A credit reaches its sum by the numbers the pass already gave the touch's strings
/// (<see cref="StringNumbers"/>), an array index. The filters are a summary's: only conversions <c>counts</c> keeps (its
/// range), only <c>channel</c>'s touches when asked, a missing key read as "(none)". Each sum adds its credits in the order
/// the rows came (journey, conversion, then touch), so the sums are those of the rows added one by one, to the last bit.
/// Not thread-safe.
/// </summary>
public sealed class AdHocCreditSums
{
    private readonly AdHocCredits _credits;
    private readonly StringNumbers _strings;
    private readonly Func<long, bool> _counts;
    private readonly int _channelNumber;
    private readonly bool _noTouchCounts;

    // Keys by value: a key number (and -1, a missing key) maps to a slot; equal names (null and "(none)") share one.
    private readonly Dictionary<string, int> _slotOfName = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private int[] _slotOfNumber = [];
    private int _noneSlot = -1;

    // Per model (in the pass's model numbering): the running sums by slot, and the slots in the order first summed.
    private readonly string[] _models;
    private readonly double[][] _creditSums;
    private readonly double[][] _revenueSums;
    private readonly bool[][] _summed;
    private readonly List<int>[] _order;
    private readonly List<int> _modelOrder = [];

    /// <param name="counts">Whether a conversion at this epoch millisecond is in the answer (its range).</param>
    /// <param name="channel">Only this channel's touches are summed, when given.</param>
    public AdHocCreditSums(AttributionSettings settings, IReadOnlyCollection<string> models, AttributionGroupBy groupBy, string? channel, Func<long, bool> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts = counts;
        _credits = new AdHocCredits(settings, models, groupBy, this);
        _strings = _credits.Strings;
        _models = _credits.ModelNames;
        _channelNumber = channel is null ? -1 : _strings.Of(channel);
        _noTouchCounts = channel is null || string.Equals(channel, AttributionModels.NoTouchChannel, StringComparison.Ordinal);
        _creditSums = new double[_models.Length][];
        _revenueSums = new double[_models.Length][];
        _summed = new bool[_models.Length][];
        _order = new List<int>[_models.Length];
        for (var m = 0; m < _models.Length; m++)
        {
            _creditSums[m] = new double[16];
            _revenueSums[m] = new double[16];
            _summed[m] = new bool[16];
            _order[m] = [];
        }
    }

    /// <summary>One journey: its heuristics' credits summed now, its paths kept for Markov's and Shapley's fit.</summary>
    public void Add(PersonJourney journey) => _credits.AddSummed(journey);

    /// <summary>
    /// <see cref="Add(PersonJourney)"/> over a journey a store decoded into buffers it reuses: no journey, touch or conversion
    /// array per journey (1.35M of each at 1M conversions). The touches in time order, the conversions as a journey's.
    /// </summary>
    public void Add(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<JourneyConversion> conversions, long? leadTimestampMs) =>
        _credits.AddSummed(touches, conversions, leadTimestampMs);

    /// <summary>After the last journey: Markov and Shapley fitted over every path, their credits summed.</summary>
    public void Finish() => _credits.FinishSummed();

    /// <summary>Credit and revenue credit per model and key: models in the order first summed, each one's keys likewise.</summary>
    public IEnumerable<(string Model, string Key, double Credit, double RevenueCredit)> Groups
    {
        get
        {
            foreach (var m in _modelOrder)
            {
                foreach (var slot in _order[m]) { yield return (_models[m], _names[slot], _creditSums[m][slot], _revenueSums[m][slot]); }
            }
        }
    }

    internal bool Counts(long conversionMs) => _counts(conversionMs);

    /// <summary>A credited touch: its key's number (-1: missing) and its channel's, under the pass's model number.</summary>
    internal void AddTouch(int model, int keyNumber, int channelNumber, double credit, double revenue)
    {
        if (_channelNumber >= 0 && channelNumber != _channelNumber) { return; }
        Add(model, SlotOf(keyNumber), credit, credit * revenue);
    }

    /// <summary>A conversion nothing is credited to: full credit to "(none)".</summary>
    internal void AddNoTouch(int model, double revenue)
    {
        if (!_noTouchCounts) { return; }
        Add(model, NoneSlot(), 1, revenue * 1);
    }

    private void Add(int model, int slot, double credit, double revenueCredit)
    {
        var sums = _creditSums[model];
        if (slot >= sums.Length) { Grow(model, slot); }
        if (!_summed[model][slot])
        {
            if (_order[model].Count == 0) { _modelOrder.Add(model); }
            _summed[model][slot] = true;
            _order[model].Add(slot);
        }

        _creditSums[model][slot] += credit;
        _revenueSums[model][slot] += revenueCredit;
    }

    private int SlotOf(int keyNumber)
    {
        if (keyNumber < 0) { return NoneSlot(); }
        if (keyNumber < _slotOfNumber.Length && _slotOfNumber[keyNumber] > 0) { return _slotOfNumber[keyNumber] - 1; }
        if (keyNumber >= _slotOfNumber.Length) { Array.Resize(ref _slotOfNumber, Math.Max(keyNumber + 1, _slotOfNumber.Length * 2)); }
        var slot = SlotOf(_strings.NameOf(keyNumber));
        _slotOfNumber[keyNumber] = slot + 1; // 0 is "not looked up yet"
        return slot;
    }

    private int NoneSlot() => _noneSlot >= 0 ? _noneSlot : _noneSlot = SlotOf(AttributionModels.NoTouchChannel);

    private int SlotOf(string name)
    {
        if (!_slotOfName.TryGetValue(name, out var slot))
        {
            slot = _names.Count;
            _names.Add(name);
            _slotOfName[name] = slot;
        }

        return slot;
    }

    private void Grow(int model, int slot)
    {
        var size = Math.Max(slot + 1, _creditSums[model].Length * 2);
        Array.Resize(ref _creditSums[model], size);
        Array.Resize(ref _revenueSums[model], size);
        Array.Resize(ref _summed[model], size);
    }
}
