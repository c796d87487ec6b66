using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Shapley;

/// <summary>Output of <see cref="ShapleyModel.Compute"/>; dictionaries sorted by channel name (ordinal).</summary>
public sealed class ShapleyResult
{
    internal ShapleyResult(IReadOnlyDictionary<string, ChannelCredit> channels, IReadOnlyDictionary<string, ChannelCredit> standardErrors, int permutations)
    {
        Channels = channels;
        StandardErrors = standardErrors;
        Permutations = permutations;
    }

    /// <summary>Shapley value per channel: attributed conversions (from v = conversions) and value (from v = conversion value).</summary>
    public IReadOnlyDictionary<string, ChannelCredit> Channels { get; }

    /// <summary>Standard error of each sampled estimate; all zero when <see cref="IsExact"/>.</summary>
    public IReadOnlyDictionary<string, ChannelCredit> StandardErrors { get; }

    /// <summary>Permutations sampled; 0 when the values are exact.</summary>
    public int Permutations { get; }

    public bool IsExact => Permutations == 0;
}
