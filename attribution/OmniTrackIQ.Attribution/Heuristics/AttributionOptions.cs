namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>
/// Per-query options. Immutable; validate once with <see cref="Validate"/> (the constructors of the
/// attributors call it) so the per-conversion code does not re-check.
/// </summary>
public sealed record AttributionOptions
{
    internal const double DefaultHalfLifeDays = 7;
    internal const double DefaultFirstShare = 0.4;
    internal const double DefaultLastShare = 0.4;

    public static AttributionOptions Default { get; } = new();

    /// <summary>
    /// Only touches at most this old at conversion time count (the UI offers 1, 7, 14, 28, 30, 90 days);
    /// null = any age. Touches after the conversion time never count.
    /// </summary>
    public TimeSpan? Lookback { get; init; }

    /// <summary>When the (window-filtered) path has a paid touch, ignore its direct, organic and e-mail touches.</summary>
    public bool PaidClicksFirst { get; init; }

    /// <summary>Time decay: a touch this much older than another gets half its weight.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(DefaultHalfLifeDays);

    /// <summary>
    /// Time decay over paths without timestamps (path files): the last touch is taken to happen at the
    /// conversion and each earlier touch one step earlier, so weight_i = 2^(-(n-1-i)·step/halfLife).
    /// </summary>
    public TimeSpan UntimedStep { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Position-based share of the first touch (40 %); the last touch gets <see cref="LastShare"/>.</summary>
    public double FirstShare { get; init; } = DefaultFirstShare;

    public double LastShare { get; init; } = DefaultLastShare;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public AttributionOptions Validate()
    {
        if (Lookback is { } lookback && lookback < TimeSpan.Zero)
        {
            throw new ArgumentException("Lookback must not be negative.", nameof(Lookback));
        }

        if (HalfLife <= TimeSpan.Zero)
        {
            throw new ArgumentException("HalfLife must be positive.", nameof(HalfLife));
        }

        if (UntimedStep < TimeSpan.Zero)
        {
            throw new ArgumentException("UntimedStep must not be negative.", nameof(UntimedStep));
        }

        if (!(FirstShare >= 0) || !(LastShare >= 0) || FirstShare + LastShare > 1 || FirstShare + LastShare <= 0)
        {
            throw new ArgumentException("FirstShare and LastShare must be >= 0 with 0 < FirstShare + LastShare <= 1.", nameof(FirstShare));
        }

        return this;
    }
}
