using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Markov;

/// <summary>
/// Markov-chain removal-effect attribution with the semantics of ChannelAttribution's markov_model
/// (order 1–4, (start)/(conversion)/(null) states, converting and non-converting paths), solved exactly
/// as an absorbing chain instead of simulated:
/// <list type="bullet">
/// <item>A path of n channels becomes the states (c1..ck), (c2..ck+1), … — every window of k consecutive
/// channels; a path shorter than k is one state holding the whole path. Consecutive equal states are
/// collapsed (for order 1: consecutive repeats of a channel).</item>
/// <item>(start)→first state and each state→next weigh conversions + nulls; last state→(conversion)
/// weighs conversions, →(null) nulls. Rows are normalised to probabilities.</item>
/// <item>Removing channel c sends every state that contains c to (null). Removal effect
/// = 1 - P(conv | c removed) / P(conv) — the share of converting walks that visit c, which is what the
/// package estimates by simulation.</item>
/// <item>Value: a walk converting from state s is worth the mean conversion value of the paths ending in
/// s (their value / their conversions), as the package samples it; the value removal effect is computed
/// on the expected value the same way.</item>
/// </list>
/// </summary>
public static class MarkovModel
{
    public const int MaxOrder = 4;

    /// <summary>Channel ids are packed 16 bits each into a 64-bit state key.</summary>
    internal const int MaxChannels = ushort.MaxValue - 1;

    public static MarkovResult Compute(IReadOnlyList<PathCount> paths, int order = 1)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(order, MaxOrder);

        return Solve(MarkovGraph.Build(paths, order), order);
    }

    /// <summary>The same model fitted from kept sums over the paths (<see cref="ChannelModelCounts"/>) instead of the paths.</summary>
    public static MarkovResult Compute(ChannelModelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Solve(MarkovGraph.FromCounts(counts), counts.MarkovOrder);
    }

    private static MarkovResult Solve(MarkovGraph graph, int order)
    {
        var chain = graph.ToChain();
        var channelCount = graph.ChannelNames.Count;
        var removed = new bool[chain.StateCount];
        var (baseConversion, baseValue) = chain.SolveFromStart(removed);

        var effects = new double[channelCount];
        var valueEffects = new double[channelCount];
        for (var c = 0; c < channelCount; c++)
        {
            graph.MarkStatesContaining(c, removed);
            var (conversion, value) = chain.SolveFromStart(removed);
            effects[c] = baseConversion > 0 ? Math.Clamp(1 - (conversion / baseConversion), 0, 1) : 0;
            valueEffects[c] = baseValue > 0 ? Math.Clamp(1 - (value / baseValue), 0, 1) : 0;
            Array.Clear(removed);
        }

        var effectSum = Sum(effects);
        var valueEffectSum = Sum(valueEffects);
        var removal = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var valueRemoval = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var credits = new SortedDictionary<string, ChannelCredit>(StringComparer.Ordinal);
        for (var c = 0; c < channelCount; c++)
        {
            var name = graph.ChannelNames[c];
            removal[name] = effects[c];
            valueRemoval[name] = valueEffects[c];
            credits[name] = new ChannelCredit(
                effectSum > 0 ? effects[c] / effectSum * graph.TotalConversions : 0,
                valueEffectSum > 0 ? valueEffects[c] / valueEffectSum * graph.TotalValue : 0);
        }

        return new MarkovResult(order, baseConversion, baseValue, removal, valueRemoval, credits, graph.Transitions, chain.StateCount);
    }

    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }
}
