using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The distinct kept paths of an on-the-fly answer, numbered in the order first seen: a path is its touches' channels and
/// the part of each the answer is grouped by (source or campaign), in order: what a data-driven credit is split by and
/// summed under, and nothing else (times, flags, the other parts would only make paths that sum alike distinct). A million
/// conversions share some tens of thousands of such paths, so each path's split is computed once (<see cref="AdHocCredits"/>).
/// Looked up by the touches' numbers (channel, grouped part: <see cref="StringNumbers"/>) without allocating; a new path is copied once.
/// </summary>
internal sealed class DistinctTouchPaths(AttributionGroupBy groupBy)
{
    private readonly IntSequenceNumbers _numbers = new();
    private readonly List<Touchpoint[]> _paths = [];
    private readonly List<int[]> _touchNumbers = [];
    // Grouped by channel: the path of each channel sequence number, plus one (0: none yet).
    private int[] _pathOfSequence = [];

    public int Count => _paths.Count;

    /// <summary>Grouped by channel: a path is its channels alone, and <see cref="Intern"/> is given only their numbers.</summary>
    public bool ByChannel => groupBy == AttributionGroupBy.Channel;

    /// <summary>The path numbered <paramref name="number"/>: its touches' channel and grouped part, with time 0 and no flags.</summary>
    public Touchpoint[] this[int number] => _paths[number];

    /// <summary>The numbers the path numbered <paramref name="number"/> was interned by (see <see cref="Intern"/>'s touchNumbers).</summary>
    public ReadOnlySpan<int> NumbersOf(int number) => _touchNumbers[number];

    /// <summary>The number of the path of these touches, a new one when it was not seen before.</summary>
    /// <param name="touchNumbers">Each touch's channel number then its grouped part's number, two per touch, in order; grouped by
    /// channel (<see cref="ByChannel"/>), each touch's channel number alone. Either way one sequence per distinct path.</param>
    public int Intern(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<int> touchNumbers) => Intern(touches, touchNumbers, out _);

    /// <inheritdoc cref="Intern(ReadOnlySpan{Touchpoint}, ReadOnlySpan{int})"/>
    public int Intern(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<int> touchNumbers, out bool added)
    {
        var number = _numbers.Intern(touchNumbers, out added);
        if (added) { Add(touches, touchNumbers); }
        return number;
    }

    /// <summary>
    /// Grouped by channel (<see cref="ByChannel"/>): the number of the path whose channel sequence is numbered
    /// <paramref name="sequence"/> by the fit's totals (<see cref="AdHocPathTotals.SequenceOf"/>), a new one when first asked:
    /// an array read, the sequence having been hashed once for both.
    /// </summary>
    public int OfSequence(int sequence, ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<int> channelNumbers)
    {
        if (!ByChannel) { throw new InvalidOperationException("Only a path grouped by channel is its channel sequence."); }
        if (sequence >= _pathOfSequence.Length) { Array.Resize(ref _pathOfSequence, Math.Max(sequence + 1, _pathOfSequence.Length * 2)); }
        ref var path = ref _pathOfSequence[sequence];
        if (path == 0)
        {
            Add(touches, channelNumbers);
            path = _paths.Count; // the new path's number plus one: 0 is "none yet"
        }

        return path - 1;
    }

    private void Add(ReadOnlySpan<Touchpoint> touches, ReadOnlySpan<int> touchNumbers)
    {
        var copy = new Touchpoint[touches.Length];
        for (var i = 0; i < copy.Length; i++)
        {
            var t = touches[i];
            copy[i] = groupBy switch
            {
                AttributionGroupBy.Source => new Touchpoint(t.Channel, 0, TouchFlags.None, source: t.Source),
                AttributionGroupBy.Campaign => new Touchpoint(t.Channel, 0, TouchFlags.None, campaign: t.Campaign),
                _ => new Touchpoint(t.Channel, 0),
            };
        }

        _paths.Add(copy);
        _touchNumbers.Add(touchNumbers.ToArray());
    }

    /// <summary>The number of the part of a touch this answer is grouped by (-1: none), beside its channel's in a path's key.</summary>
    public int GroupedNumber(StringNumbers numbers, in Touchpoint touch) => groupBy switch
    {
        AttributionGroupBy.Source => numbers.Of(touch.Source),
        AttributionGroupBy.Campaign => numbers.Of(touch.Campaign),
        _ => -1,
    };
}
