using System.Runtime.InteropServices;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The totals Markov and Shapley are fitted on in an on-the-fly answer: per distinct channel sequence, the conversions, value
/// and nulls of every path, keyed by channel numbers (<see cref="StringNumbers"/>) instead of joined names. The sums are
/// added as <see cref="PathCounts.Aggregate"/> and the answer's totals added them before, so the fit is the same to the bit:
/// a journey's paths are first grouped among themselves (<see cref="AddToJourney"/>, in the order they come), then each
/// group joins the totals in the order first seen in the journey (<see cref="EndJourney"/>).
/// A path is given by the number of its channel sequence (<see cref="SequenceOf"/>), looked up once per path: the caller
/// keeps that number for a conversion's split too (grouped by channel a kept path is its channel sequence), so a conversion's
/// path is hashed once, not once for the split and again for the fit (bench/RESULTS.md "Issue 21, session 15: the analyst's
/// answers"). A sequence's channel names are made only when it first joins the totals, from the numbers (<c>strings</c>).
/// </summary>
internal sealed class AdHocPathTotals(StringNumbers strings)
{
    private readonly IntSequenceNumbers _keys = new();
    // Each sequence number's channel numbers (copied once, when new) and its place in the totals (-1: not in them yet).
    private readonly List<int[]> _sequences = [];
    private int[] _totalOfSequence = [];
    // A distinct sequence's names and its sums apart, so adding to the sums writes three doubles in place (no reference, no barrier).
    private readonly List<string[]> _channels = [];
    private readonly List<Sums> _totals = [];

    // The current journey's groups: their sequence numbers and sums.
    private readonly List<(int Sequence, double Conversions, double Value, double Nulls)> _journey = [];

    /// <summary>The number of a channel sequence (numbered in the order first asked, a new one when not seen before).</summary>
    public int SequenceOf(ReadOnlySpan<int> channelNumbers)
    {
        var sequence = _keys.Intern(channelNumbers, out var added);
        if (added) { _sequences.Add(channelNumbers.ToArray()); }
        return sequence;
    }

    /// <summary>One path of the current journey: its kept touches' channel sequence (<see cref="SequenceOf"/>) and its sums.</summary>
    public void AddToJourney(int sequence, double conversions, double value, double nulls)
    {
        var groups = CollectionsMarshal.AsSpan(_journey);
        for (var g = 0; g < groups.Length; g++)
        {
            ref var group = ref groups[g];
            if (group.Sequence == sequence)
            {
                group = (sequence, group.Conversions + conversions, group.Value + value, group.Nulls + nulls);
                return;
            }
        }

        _journey.Add((sequence, conversions, value, nulls));
    }

    /// <summary>The current journey's groups join the totals, in the order first seen.</summary>
    public void EndJourney()
    {
        foreach (var group in _journey)
        {
            if (group.Sequence >= _totalOfSequence.Length)
            {
                var size = Math.Max(group.Sequence + 1, _totalOfSequence.Length * 2);
                var grown = new int[size];
                _totalOfSequence.CopyTo(grown, 0);
                grown.AsSpan(_totalOfSequence.Length).Fill(-1);
                _totalOfSequence = grown;
            }

            ref var total = ref _totalOfSequence[group.Sequence];
            if (total < 0)
            {
                total = _totals.Count;
                var numbers = _sequences[group.Sequence];
                var names = new string[numbers.Length];
                for (var i = 0; i < names.Length; i++) { names[i] = strings.NameOf(numbers[i]); }
                _channels.Add(names);
                _totals.Add(new Sums(group.Conversions, group.Value, group.Nulls));
            }
            else
            {
                ref var t = ref CollectionsMarshal.AsSpan(_totals)[total];
                t = new Sums(t.Conversions + group.Conversions, t.Value + group.Value, t.Nulls + group.Nulls);
            }
        }

        _journey.Clear();
    }

    /// <summary>The totals in the order first seen.</summary>
    public List<PathCount> ToPathCounts() => [.. _totals.Select((t, i) => new PathCount(_channels[i], t.Conversions, t.Value, t.Nulls))];

    private readonly record struct Sums(double Conversions, double Value, double Nulls);
}
