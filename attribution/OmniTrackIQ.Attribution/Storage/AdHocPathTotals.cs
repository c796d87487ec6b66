using System.Runtime.InteropServices;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// The totals Markov and Shapley are fitted on in an on-the-fly answer: per distinct channel sequence, the conversions, value
/// and nulls of every path, keyed by channel numbers (<see cref="StringNumbers"/>) instead of joined names. The sums are
/// added as <see cref="PathCounts.Aggregate"/> and the answer's totals added them before, so the fit is the same to the bit:
/// a journey's paths are first grouped among themselves (<see cref="AddToJourney"/>, in the order they come), then each
/// group joins the totals in the order first seen in the journey (<see cref="EndJourney"/>).
/// A group's channel names are made only when its sequence is new to the totals, from the numbers (<c>strings</c>):
/// not an array per path of every journey.
/// </summary>
internal sealed class AdHocPathTotals(StringNumbers strings)
{
    private readonly IntSequenceNumbers _keys = new();
    // A distinct sequence's names and its sums apart, so adding to the sums writes three doubles in place (no reference, no barrier).
    private readonly List<string[]> _channels = [];
    private readonly List<Sums> _totals = [];

    // The current journey's groups: their channel numbers side by side in _journeyKeys, and their sums.
    private readonly List<(int Start, int Length, double Conversions, double Value, double Nulls)> _journey = [];
    private int[] _journeyKeys = new int[64];
    private int _journeyKeysUsed;

    /// <summary>One path of the current journey: its kept touches' channel numbers (in order) and its sums.</summary>
    public void AddToJourney(ReadOnlySpan<int> channelNumbers, double conversions, double value, double nulls)
    {
        for (var g = 0; g < _journey.Count; g++)
        {
            var group = _journey[g];
            if (_journeyKeys.AsSpan(group.Start, group.Length).SequenceEqual(channelNumbers))
            {
                _journey[g] = group with { Conversions = group.Conversions + conversions, Value = group.Value + value, Nulls = group.Nulls + nulls };
                return;
            }
        }

        if (_journeyKeys.Length < _journeyKeysUsed + channelNumbers.Length)
        {
            Array.Resize(ref _journeyKeys, Math.Max(_journeyKeys.Length * 2, _journeyKeysUsed + channelNumbers.Length));
        }

        channelNumbers.CopyTo(_journeyKeys.AsSpan(_journeyKeysUsed));
        _journey.Add((_journeyKeysUsed, channelNumbers.Length, conversions, value, nulls));
        _journeyKeysUsed += channelNumbers.Length;
    }

    /// <summary>The current journey's groups join the totals, in the order first seen.</summary>
    public void EndJourney()
    {
        foreach (var group in _journey)
        {
            var numbers = _journeyKeys.AsSpan(group.Start, group.Length);
            var number = _keys.Intern(numbers, out var added);
            if (added)
            {
                var names = new string[numbers.Length];
                for (var i = 0; i < names.Length; i++) { names[i] = strings.NameOf(numbers[i]); }
                _channels.Add(names);
                _totals.Add(new Sums(group.Conversions, group.Value, group.Nulls));
            }
            else
            {
                ref var t = ref CollectionsMarshal.AsSpan(_totals)[number];
                t = new Sums(t.Conversions + group.Conversions, t.Value + group.Value, t.Nulls + group.Nulls);
            }
        }

        _journey.Clear();
        _journeyKeysUsed = 0;
    }

    /// <summary>The totals in the order first seen.</summary>
    public List<PathCount> ToPathCounts() => [.. _totals.Select((t, i) => new PathCount(_channels[i], t.Conversions, t.Value, t.Nulls))];

    private readonly record struct Sums(double Conversions, double Value, double Nulls);
}
