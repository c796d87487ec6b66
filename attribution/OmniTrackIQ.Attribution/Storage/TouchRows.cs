using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// One stored row of a conversion's kept touch (every store's <c>attribution_touches</c>): the touch (null for the single
/// "(none)" row of a conversion nothing is credited to, with full credit under every model), how many kept touches of
/// the path share its channel (the data-driven models split a channel's weight over them), and one credit per
/// heuristic model in <see cref="AttributionModels.Heuristics"/> order. <see cref="Credits"/> is only valid until the
/// next row is produced.
/// </summary>
public readonly ref struct TouchRow(int touchIndex, Touchpoint? touch, int channelTouches, ReadOnlySpan<double> credits)
{
    public int TouchIndex { get; } = touchIndex;
    public Touchpoint? Touch { get; } = touch;
    public int ChannelTouches { get; } = channelTouches;
    public ReadOnlySpan<double> Credits { get; } = credits;
}

/// <summary>Turns an <see cref="AttributedConversion"/> into its <see cref="TouchRow"/>s, reusing its buffers (one per writer).</summary>
public sealed class TouchRows
{
    public delegate void RowHandler(in TouchRow row);

    private readonly double[] _credits = new double[AttributionModels.Heuristics.Count];
    private double[] _perTouch = new double[64];

    public void Write(AttributedConversion attributed, RowHandler onRow)
    {
        var models = AttributionModels.Heuristics.Count;
        if (attributed.Credits.Count == 0)
        {
            _credits.AsSpan(0, models).Fill(1);
            onRow(new TouchRow(0, null, 1, _credits));
            return;
        }

        // Credits arrive model by model; gather them per touch.
        var path = attributed.Path;
        if (_perTouch.Length < path.Length * models) { _perTouch = new double[path.Length * models * 2]; }
        var perTouch = _perTouch.AsSpan(0, path.Length * models);
        perTouch.Clear();
        foreach (var credit in attributed.Credits)
        {
            perTouch[(credit.TouchIndex * models) + ModelIndex(credit.Model)] = credit.Credit;
        }

        foreach (var i in attributed.KeptIndices)
        {
            onRow(new TouchRow(i, path[i], SameChannelKept(attributed, path[i].Channel), perTouch.Slice(i * models, models)));
        }
    }

    private static int SameChannelKept(AttributedConversion attributed, string channel)
    {
        var count = 0;
        foreach (var kept in attributed.KeptIndices)
        {
            if (string.Equals(attributed.Path[kept].Channel, channel, StringComparison.Ordinal)) { count++; }
        }

        return count;
    }

    private static int ModelIndex(string model)
    {
        for (var m = 0; m < AttributionModels.Heuristics.Count; m++)
        {
            if (AttributionModels.Heuristics[m].Name == model) { return m; }
        }

        throw new ArgumentOutOfRangeException(nameof(model), model, "not a heuristic model");
    }
}
