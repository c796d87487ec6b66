namespace OmniTrackIQ.Attribution.Paths;

/// <summary>
/// An aggregated path in ChannelAttribution's input shape: a channel sequence with the conversions, the
/// conversion value and the non-converting count ("nulls") of every person who followed it.
/// </summary>
public sealed class PathCount
{
    private readonly string[] _channels;

    public PathCount(IReadOnlyList<string> channels, double conversions, double value = 0, double nulls = 0)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0)
        {
            throw new ArgumentException("A path needs at least one channel.", nameof(channels));
        }

        _channels = new string[channels.Count];
        for (var i = 0; i < _channels.Length; i++)
        {
            _channels[i] = string.IsNullOrEmpty(channels[i])
                ? throw new ArgumentException($"Channel {i} of the path is empty.", nameof(channels))
                : channels[i];
        }

        Conversions = conversions >= 0 && double.IsFinite(conversions)
            ? conversions
            : throw new ArgumentOutOfRangeException(nameof(conversions), conversions, "Conversions must be a finite number >= 0.");
        Value = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Value must be finite.");
        Nulls = nulls >= 0 && double.IsFinite(nulls)
            ? nulls
            : throw new ArgumentOutOfRangeException(nameof(nulls), nulls, "Nulls must be a finite number >= 0.");
    }

    public IReadOnlyList<string> Channels => _channels;

    internal ReadOnlySpan<string> ChannelSpan => _channels;

    public double Conversions { get; }

    public double Value { get; }

    public double Nulls { get; }

    /// <summary>The path as ChannelAttribution writes it: <c>A &gt; B &gt; C</c>.</summary>
    public override string ToString() => string.Join(" > ", _channels);
}
