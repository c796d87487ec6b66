using System.Runtime.InteropServices;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// Distinct sequences of small numbers, numbered in the order first seen: the key of a path once its channels (and grouped
/// parts) are numbers (<see cref="StringNumbers"/>), hashed and compared as a few bytes instead of as joined strings. Looked up
/// from a span without allocating; a new sequence is copied once.
/// </summary>
internal sealed class IntSequenceNumbers
{
    private readonly Dictionary<int[], int> _numbers = new(SpanSequenceComparer<int>.Instance);

    public int Count => _numbers.Count;

    /// <summary>The number of this sequence, a new one (the count so far) when it was not seen before.</summary>
    public int Intern(ReadOnlySpan<int> sequence, out bool added)
    {
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(_numbers.GetAlternateLookup<ReadOnlySpan<int>>(), sequence, out var exists);
        added = !exists;
        if (added) { number = _numbers.Count - 1; }
        return number;
    }
}
