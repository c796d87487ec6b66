using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Markov;

/// <summary>One transition of the fitted chain; states are "(start)", "(conversion)", "(null)" or k channels joined by ",".</summary>
public readonly record struct MarkovTransition(string From, string To, double Probability);

/// <summary>Output of <see cref="MarkovModel.Compute"/>; dictionaries are sorted by channel name (ordinal).</summary>
public sealed class MarkovResult
{
    private readonly Lazy<IReadOnlyList<MarkovTransition>> _transitions;

    internal MarkovResult(int order, double conversionProbability, double expectedValue,
        IReadOnlyDictionary<string, double> removalEffects, IReadOnlyDictionary<string, double> valueRemovalEffects,
        IReadOnlyDictionary<string, ChannelCredit> channels, Func<IReadOnlyList<MarkovTransition>> transitions, int stateCount)
    {
        Order = order;
        ConversionProbability = conversionProbability;
        ExpectedValue = expectedValue;
        RemovalEffects = removalEffects;
        ValueRemovalEffects = valueRemovalEffects;
        Channels = channels;
        _transitions = new Lazy<IReadOnlyList<MarkovTransition>>(transitions);
        StateCount = stateCount;
    }

    public int Order { get; }

    /// <summary>P(conversion) of a walk from (start): the chain's conversion rate.</summary>
    public double ConversionProbability { get; }

    /// <summary>Expected conversion value of a walk from (start).</summary>
    public double ExpectedValue { get; }

    /// <summary>1 - P(conversion | channel removed) / P(conversion), per channel (not normalised).</summary>
    public IReadOnlyDictionary<string, double> RemovalEffects { get; }

    /// <summary>The same for the expected conversion value.</summary>
    public IReadOnlyDictionary<string, double> ValueRemovalEffects { get; }

    /// <summary>Removal effects normalised to sum 1, times total conversions (value: total conversion value).</summary>
    public IReadOnlyDictionary<string, ChannelCredit> Channels { get; }

    /// <summary>The fitted transition probabilities (built on first access; order-4 chains can be large).</summary>
    public IReadOnlyList<MarkovTransition> Transitions => _transitions.Value;

    /// <summary>Transient states including (start).</summary>
    public int StateCount { get; }
}
