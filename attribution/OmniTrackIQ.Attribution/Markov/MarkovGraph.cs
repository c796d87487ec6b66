using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Markov;

/// <summary>
/// Transition counts of the order-k chain, built from aggregated paths as ChannelAttribution does (see
/// <see cref="MarkovModel"/>). A state is a window of up to k channel ids packed 16 bits each (id + 1,
/// 0 = empty slot) into a ulong; state 0 is (start), whose key is 0.
/// </summary>
internal sealed class MarkovGraph
{
    private const int SlotBits = 16;
    private const ulong SlotMask = 0xFFFF;

    private readonly int _order;
    private readonly List<string> _channelNames = [];
    private readonly Dictionary<string, int> _channelIds = new(StringComparer.Ordinal);
    private readonly List<ulong> _stateKeys = [0];
    private readonly Dictionary<ulong, int> _stateIds = [];
    private readonly Dictionary<ulong, double> _edges = [];
    private readonly List<double> _toConversion = [0];
    private readonly List<double> _toNull = [0];
    private readonly List<double> _endingValue = [0];
    private readonly List<double> _endingConversions = [0];

    private MarkovGraph(int order) => _order = order;

    public IReadOnlyList<string> ChannelNames => _channelNames;

    public double TotalConversions { get; private set; }

    public double TotalValue { get; private set; }

    public static MarkovGraph Build(IReadOnlyList<PathCount> paths, int order)
    {
        var graph = new MarkovGraph(order);
        var ids = new int[16];
        foreach (var path in paths)
        {
            var channels = path.ChannelSpan;
            if (ids.Length < channels.Length)
            {
                ids = new int[Math.Max(channels.Length, ids.Length * 2)];
            }

            for (var i = 0; i < channels.Length; i++)
            {
                ids[i] = graph.ChannelId(channels[i]);
            }

            graph.AddPath(ids.AsSpan(0, channels.Length), path.Conversions, path.Value, path.Nulls);
        }

        return graph;
    }

    /// <summary>
    /// The same graph from kept sums (<see cref="ChannelModelCounts"/> of <see cref="ChannelModelCounts.MarkovOrder"/>):
    /// channels and states numbered in the rows' key order, so every fit of the same counts is the same to the last bit.
    /// </summary>
    public static MarkovGraph FromCounts(ChannelModelCounts counts)
    {
        var graph = new MarkovGraph(counts.MarkovOrder);
        graph.TotalConversions = counts.Total.Conversions;
        graph.TotalValue = counts.Total.Value;
        foreach (var (key, totals) in counts.Ordered(CountKind.Transition))
        {
            var edge = ((ulong)(uint)graph.StateOf(key.From) << 32) | (uint)graph.StateOf(key.To);
            graph._edges[edge] = graph._edges.GetValueOrDefault(edge) + totals.Conversions + totals.Nulls;
        }

        foreach (var (key, totals) in counts.Ordered(CountKind.End))
        {
            var state = graph.StateOf(key.From);
            graph._toConversion[state] += totals.Conversions;
            graph._toNull[state] += totals.Nulls;
            if (totals.Conversions > 0)
            {
                graph._endingValue[state] += totals.Value;
                graph._endingConversions[state] += totals.Conversions;
            }
        }

        return graph;
    }

    /// <summary>The id of a state written as its channels joined ("" is (start)).</summary>
    private int StateOf(string state)
    {
        var channels = ChannelModelCounts.ChannelsOf(state);
        if (channels.Length == 0)
        {
            return 0;
        }

        Span<int> ids = stackalloc int[MarkovModel.MaxOrder];
        for (var i = 0; i < channels.Length; i++)
        {
            ids[i] = ChannelId(channels[i]);
        }

        return StateId(ids[..channels.Length]);
    }

    private int ChannelId(string channel)
    {
        if (_channelIds.TryGetValue(channel, out var id))
        {
            return id;
        }

        if (_channelNames.Count >= MarkovModel.MaxChannels)
        {
            throw new ArgumentException($"The Markov model supports at most {MarkovModel.MaxChannels} distinct channels.");
        }

        id = _channelNames.Count;
        _channelIds.Add(channel, id);
        _channelNames.Add(channel);
        return id;
    }

    private void AddPath(ReadOnlySpan<int> ids, double conversions, double value, double nulls)
    {
        TotalConversions += conversions;
        TotalValue += value;
        var weight = conversions + nulls;
        if (weight <= 0)
        {
            return;
        }

        var width = Math.Min(ids.Length, _order);
        var windows = ids.Length - width + 1;
        var previous = 0;
        for (var start = 0; start < windows; start++)
        {
            var state = StateId(ids.Slice(start, width));
            if (state == previous)
            {
                continue;
            }

            var edge = ((ulong)(uint)previous << 32) | (uint)state;
            _edges[edge] = _edges.GetValueOrDefault(edge) + weight;
            previous = state;
        }

        _toConversion[previous] += conversions;
        _toNull[previous] += nulls;
        if (conversions > 0)
        {
            _endingValue[previous] += value;
            _endingConversions[previous] += conversions;
        }
    }

    private int StateId(ReadOnlySpan<int> window)
    {
        ulong key = 0;
        for (var i = 0; i < window.Length; i++)
        {
            key |= (ulong)(window[i] + 1) << (i * SlotBits);
        }

        if (_stateIds.TryGetValue(key, out var id))
        {
            return id;
        }

        id = _stateKeys.Count;
        _stateIds.Add(key, id);
        _stateKeys.Add(key);
        _toConversion.Add(0);
        _toNull.Add(0);
        _endingValue.Add(0);
        _endingConversions.Add(0);
        return id;
    }

    /// <summary>Normalises the counts into the transient block Q and the two right-hand sides.</summary>
    public AbsorbingChain ToChain()
    {
        var n = _stateKeys.Count;
        var rowTotal = new double[n];
        var rowStart = new int[n + 1];
        foreach (var (edge, weight) in _edges)
        {
            var from = (int)(edge >> 32);
            rowTotal[from] += weight;
            rowStart[from + 1]++;
        }

        for (var s = 0; s < n; s++)
        {
            rowTotal[s] += _toConversion[s] + _toNull[s];
            rowStart[s + 1] += rowStart[s];
        }

        var fill = new int[n];
        var columns = new int[_edges.Count];
        var probabilities = new double[_edges.Count];
        foreach (var (edge, weight) in _edges)
        {
            var from = (int)(edge >> 32);
            var at = rowStart[from] + fill[from]++;
            columns[at] = (int)(uint)edge;
            probabilities[at] = weight / rowTotal[from];
        }

        var conversion = new double[n];
        var value = new double[n];
        for (var s = 0; s < n; s++)
        {
            if (rowTotal[s] <= 0)
            {
                continue;
            }

            conversion[s] = _toConversion[s] / rowTotal[s];
            var meanValue = _endingConversions[s] > 0 ? _endingValue[s] / _endingConversions[s] : 0;
            value[s] = conversion[s] * meanValue;
        }

        return new AbsorbingChain(rowStart, columns, probabilities, conversion, value);
    }

    /// <summary>Flags every state whose window holds <paramref name="channel"/>.</summary>
    public void MarkStatesContaining(int channel, Span<bool> removed)
    {
        var slot = (ulong)(channel + 1);
        for (var s = 1; s < _stateKeys.Count; s++)
        {
            var key = _stateKeys[s];
            for (var i = 0; i < _order && key != 0; i++, key >>= SlotBits)
            {
                if ((key & SlotMask) == slot)
                {
                    removed[s] = true;
                    break;
                }
            }
        }
    }

    public IReadOnlyList<MarkovTransition> Transitions()
    {
        var names = new string[_stateKeys.Count];
        names[0] = "(start)";
        var parts = new List<string>(_order);
        for (var s = 1; s < names.Length; s++)
        {
            parts.Clear();
            for (var key = _stateKeys[s]; key != 0; key >>= SlotBits)
            {
                parts.Add(_channelNames[(int)(key & SlotMask) - 1]);
            }

            names[s] = string.Join(",", parts);
        }

        var result = new List<MarkovTransition>();
        var rowTotal = new double[names.Length];
        foreach (var (edge, weight) in _edges)
        {
            rowTotal[(int)(edge >> 32)] += weight;
        }

        for (var s = 0; s < names.Length; s++)
        {
            rowTotal[s] += _toConversion[s] + _toNull[s];
        }

        foreach (var (edge, weight) in _edges)
        {
            var from = (int)(edge >> 32);
            result.Add(new MarkovTransition(names[from], names[(int)(uint)edge], weight / rowTotal[from]));
        }

        for (var s = 0; s < names.Length; s++)
        {
            if (_toConversion[s] > 0)
            {
                result.Add(new MarkovTransition(names[s], "(conversion)", _toConversion[s] / rowTotal[s]));
            }

            if (_toNull[s] > 0)
            {
                result.Add(new MarkovTransition(names[s], "(null)", _toNull[s] / rowTotal[s]));
            }
        }

        return result;
    }
}
