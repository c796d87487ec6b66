using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>
/// Applies the query options (lookback, paid clicks first) and a heuristic model to one conversion at a
/// time, writing one credit per original touch. Keeps its scratch buffers between calls, so a worker
/// that reuses one instance allocates nothing per conversion. Not thread-safe: one per worker thread.
/// </summary>
public sealed class PathAttributor
{
    private readonly AttributionOptions _options;
    private int[] _selected = new int[16];
    private Touchpoint[] _kept = new Touchpoint[16];
    private double[] _keptCredits = new double[16];

    public PathAttributor(AttributionOptions? options = null)
    {
        _options = (options ?? AttributionOptions.Default).Validate();
    }

    public AttributionOptions Options => _options;

    /// <inheritdoc cref="Attribute(HeuristicModel, ReadOnlySpan{Touchpoint}, long, Span{double})"/>
    public int Attribute(HeuristicModel model, ConversionPath path, Span<double> credits)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Attribute(model, path.Touchpoints, path.ConversionTimestampMs, credits);
    }

    /// <summary>
    /// Credits of one conversion: credits[i] for touches[i], 0 for touches the options drop. Returns the
    /// number of touches that count; 0 means no touch is left (e.g. none inside the lookback window) and
    /// every credit is 0 — the conversion is unattributed and the caller records it as such.
    /// </summary>
    public int Attribute(HeuristicModel model, ReadOnlySpan<Touchpoint> touches, long conversionTimestampMs, Span<double> credits)
    {
        if (credits.Length < touches.Length)
        {
            throw new ArgumentException("The credit span is shorter than the path.", nameof(credits));
        }

        if (TouchpointFilter.KeepsAll(touches, conversionTimestampMs, _options))
        {
            HeuristicModels.Compute(model, touches, conversionTimestampMs, credits, _options);
            return touches.Length;
        }

        EnsureCapacity(touches.Length);
        var count = TouchpointFilter.Select(touches, conversionTimestampMs, _options, _selected);
        credits[..touches.Length].Clear();
        if (count == 0)
        {
            return 0;
        }

        for (var k = 0; k < count; k++)
        {
            _kept[k] = touches[_selected[k]];
        }

        var keptCredits = _keptCredits.AsSpan(0, count);
        HeuristicModels.Compute(model, _kept.AsSpan(0, count), conversionTimestampMs, keptCredits, _options);
        for (var k = 0; k < count; k++)
        {
            credits[_selected[k]] = keptCredits[k];
        }

        return count;
    }

    private void EnsureCapacity(int length)
    {
        if (_selected.Length >= length)
        {
            return;
        }

        var size = Math.Max(length, _selected.Length * 2);
        _selected = new int[size];
        _kept = new Touchpoint[size];
        _keptCredits = new double[size];
    }
}
