namespace OmniTrackIQ.Attribution.Paths;

/// <summary>
/// A person's touchpoints in time order, ending in a conversion (or, for a non-converting path, in the
/// end of the observation window). Markov and Shapley also need the non-converting paths, so one type
/// carries both: a conversion has <see cref="Conversions"/> = 1 (and its revenue in <see cref="Value"/>),
/// a non-converting path has <see cref="Nulls"/> = 1.
/// </summary>
public sealed class ConversionPath
{
    private readonly Touchpoint[] _touchpoints;

    /// <param name="touchpoints">Touches sorted by time (ascending, ties allowed). The array is kept, not copied.</param>
    /// <param name="conversionTimestampMs">Conversion time (or end of observation), Unix epoch ms.</param>
    public ConversionPath(Touchpoint[] touchpoints, long conversionTimestampMs, double conversions = 1, double value = 0, double nulls = 0)
    {
        ArgumentNullException.ThrowIfNull(touchpoints);
        for (var i = 1; i < touchpoints.Length; i++)
        {
            if (touchpoints[i].TimestampMs < touchpoints[i - 1].TimestampMs)
            {
                throw new ArgumentException($"Touchpoints must be in time order; index {i} is earlier than index {i - 1}.", nameof(touchpoints));
            }
        }

        if (!(conversions >= 0) || double.IsInfinity(conversions))
        {
            throw new ArgumentOutOfRangeException(nameof(conversions), conversions, "Conversions must be a finite number >= 0.");
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Value must be finite.");
        }

        if (!(nulls >= 0) || double.IsInfinity(nulls))
        {
            throw new ArgumentOutOfRangeException(nameof(nulls), nulls, "Nulls must be a finite number >= 0.");
        }

        _touchpoints = touchpoints;
        ConversionTimestampMs = conversionTimestampMs;
        Conversions = conversions;
        Value = value;
        Nulls = nulls;
    }

    public ReadOnlySpan<Touchpoint> Touchpoints => _touchpoints;

    public int Length => _touchpoints.Length;

    public long ConversionTimestampMs { get; }

    public double Conversions { get; }

    public double Value { get; }

    public double Nulls { get; }
}
