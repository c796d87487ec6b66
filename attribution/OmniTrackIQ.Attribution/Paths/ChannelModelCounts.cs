namespace OmniTrackIQ.Attribution.Paths;

/// <summary>What a row of <see cref="ChannelModelCounts"/> sums (see there).</summary>
public enum CountKind
{
    /// <summary>The whole workspace: every path's conversions, value and nulls (one row, kept even when all are 0).</summary>
    Total = 0,

    /// <summary>A Markov transition <c>From</c> → <c>To</c> (states of the chain; "" is (start)): the conversions and nulls of the paths that take it.</summary>
    Transition = 1,

    /// <summary>The paths whose walk ends in state <c>From</c>: their conversions, nulls, and the value of those that convert.</summary>
    End = 2,

    /// <summary>The paths whose distinct channels are the set <c>From</c> (sorted, joined): the game Shapley is played on.</summary>
    ChannelSet = 3,
}

/// <summary>A row's key: its kind and one or two states or sets written as channels joined by <see cref="ChannelModelCounts.Separator"/>.</summary>
public readonly record struct CountKey(CountKind Kind, string From, string To);

/// <summary>A row's sums over paths.</summary>
public readonly record struct CountTotals(double Conversions, double Value, double Nulls);

/// <summary>
/// The sums over a workspace's paths that Markov (of one order) and Shapley are fitted from: Markov only needs each
/// transition's weight, each end state's conversions, nulls and value, and the totals; Shapley only each channel set's
/// conversions and value (and which channels appear at all). Every row is a sum over paths, so a tick keeps them by the
/// delta of the paths it replaced (<see cref="Add"/> with -1, then +1) instead of reading every path, and the table stays
/// as small as the channels and states, whatever the history. Conversions and nulls are whole numbers, so their sums are
/// exact in any order; a value may differ from a fresh sum in its last bits. A row whose conversions and nulls are both 0
/// has no path left and goes (with any value residue).
/// </summary>
public sealed class ChannelModelCounts
{
    /// <summary>Joins the channels of a state or a set, as a path's text joins its channels.</summary>
    public const string Separator = " > ";

    private readonly Dictionary<CountKey, CountTotals> _rows = [];

    public ChannelModelCounts(int markovOrder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(markovOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(markovOrder, Markov.MarkovModel.MaxOrder);
        MarkovOrder = markovOrder;
        _rows[TotalKey] = default;
    }

    public int MarkovOrder { get; }

    /// <summary>The rows, the <see cref="CountKind.Total"/> row always among them.</summary>
    public IReadOnlyDictionary<CountKey, CountTotals> Rows => _rows;

    public CountTotals Total => _rows[TotalKey];

    private static CountKey TotalKey => new(CountKind.Total, "", "");

    /// <summary>The counts of <paramref name="paths"/>.</summary>
    public static ChannelModelCounts Of(IEnumerable<PathCount> paths, int markovOrder)
    {
        var counts = new ChannelModelCounts(markovOrder);
        foreach (var path in paths) { counts.Add(path.Channels, path.Conversions, path.Value, path.Nulls, 1); }
        return counts;
    }

    /// <summary>Counts as stored: the rows given, none of them summed again (a store's rows are one per key).</summary>
    public static ChannelModelCounts FromRows(int markovOrder, IEnumerable<KeyValuePair<CountKey, CountTotals>> rows)
    {
        var counts = new ChannelModelCounts(markovOrder);
        foreach (var (key, totals) in rows) { counts.AddRow(key, totals, 1); }
        return counts;
    }

    /// <summary>
    /// Adds (<paramref name="sign"/> 1) or takes out (-1) one path's conversions, value and nulls: to the total, and — when
    /// it weighs anything — to the Markov transitions of its walk and its end state (ChannelAttribution's rules, as
    /// <see cref="Markov.MarkovModel"/> applies them to paths) and to its channel set.
    /// </summary>
    public void Add(IReadOnlyList<string> channels, double conversions, double value, double nulls, int sign)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (sign is not (1 or -1)) { throw new ArgumentOutOfRangeException(nameof(sign), sign, "A path is added (1) or taken out (-1)."); }
        AddRow(TotalKey, new(conversions, value, nulls), sign);
        if (conversions + nulls <= 0) { return; } // weighs nothing: no walk, no coalition (as the models skip it)

        var width = Math.Min(channels.Count, MarkovOrder);
        var previous = "";
        for (var start = 0; start + width <= channels.Count; start++)
        {
            var state = string.Join(Separator, channels.Skip(start).Take(width));
            if (state == previous) { continue; } // consecutive equal states collapse
            AddRow(new(CountKind.Transition, previous, state), new(conversions, 0, nulls), sign);
            previous = state;
        }

        AddRow(new(CountKind.End, previous, ""), new(conversions, conversions > 0 ? value : 0, nulls), sign);
        var set = channels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        AddRow(new(CountKind.ChannelSet, string.Join(Separator, set), ""), new(conversions, value, nulls), sign);
    }

    /// <summary>The rows of <paramref name="kind"/> in key order (ordinal), so every fit reads them in the same order.</summary>
    public IEnumerable<KeyValuePair<CountKey, CountTotals>> Ordered(CountKind kind) =>
        _rows.Where(r => r.Key.Kind == kind)
            .OrderBy(r => r.Key.From, StringComparer.Ordinal).ThenBy(r => r.Key.To, StringComparer.Ordinal);

    /// <summary>The channels of a state or set row's key.</summary>
    public static string[] ChannelsOf(string states) => states.Length == 0 ? [] : states.Split(Separator);

    private void AddRow(CountKey key, CountTotals totals, int sign)
    {
        var known = _rows.GetValueOrDefault(key);
        var sum = new CountTotals(known.Conversions + (sign * totals.Conversions), known.Value + (sign * totals.Value), known.Nulls + (sign * totals.Nulls));
        if (key.Kind != CountKind.Total && sum.Conversions == 0 && sum.Nulls == 0) { _rows.Remove(key); }
        else { _rows[key] = sum.Conversions == 0 ? sum with { Value = 0 } : sum; }
    }
}
