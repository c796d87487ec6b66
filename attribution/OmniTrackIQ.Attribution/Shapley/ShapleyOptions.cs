namespace OmniTrackIQ.Attribution.Shapley;

/// <summary>When to stop computing Shapley values exactly, and how to sample beyond that.</summary>
public sealed record ShapleyOptions
{
    internal const int DefaultExactMaxChannels = 15;
    internal const int HardExactLimit = 24;

    public static ShapleyOptions Default { get; } = new();

    /// <summary>Up to this many credited channels: exact, via the subset DP over all 2^n coalitions (15 by default, at most 24).</summary>
    public int ExactMaxChannels { get; init; } = DefaultExactMaxChannels;

    /// <summary>Random channel orders sampled above <see cref="ExactMaxChannels"/>.</summary>
    public int Permutations { get; init; } = 2000;

    /// <summary>Seed of the permutation sampler, so a sampled result is reproducible.</summary>
    public int Seed { get; init; } = 20261123;

    public ShapleyOptions Validate()
    {
        if (ExactMaxChannels < 0 || ExactMaxChannels > HardExactLimit)
        {
            throw new ArgumentException($"ExactMaxChannels must be between 0 and {HardExactLimit}.", nameof(ExactMaxChannels));
        }

        if (Permutations < 2)
        {
            throw new ArgumentException("Permutations must be at least 2 (the standard error needs two samples).", nameof(Permutations));
        }

        return this;
    }
}
