using System.Runtime.InteropServices;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>
/// Distinct sequences of small numbers, numbered in the order first seen: the key of a path once its channels (and grouped
/// parts) are numbers (<see cref="StringNumbers"/>), hashed and compared as a few bytes instead of as joined strings. Looked up
/// from a span without allocating; a new sequence is copied once.
/// A short sequence of small numbers (most paths: up to <see cref="PackedLength"/> numbers from -1 to <see cref="PackedMax"/>)
/// is looked up packed into one long, its length included: an on-the-fly answer looks up a path per conversion and per
/// journey, and a long key is hashed and compared in place, where an array key costs a hash of its bytes and a read of the
/// array on every candidate (bench/RESULTS.md "Issue 21, session 13: the analyst's answers"). Every other sequence is keyed
/// by its contents. Both share one numbering, so the numbers are the same whichever way a sequence was found.
/// </summary>
internal sealed class IntSequenceNumbers
{
    /// <summary>The longest sequence that is packed: 6 numbers of 10 bits and a 4-bit length make 64 bits (a 128-bit key of 12 was slower).</summary>
    public const int PackedLength = 6;

    /// <summary>The largest number a packed sequence holds (-1, null, is held too: each number is stored plus one).</summary>
    public const int PackedMax = (1 << Bits) - 2;

    private const int Bits = 10;
    private readonly Dictionary<long, int> _packed = [];
    private readonly Dictionary<int[], int> _numbers = new(SpanSequenceComparer<int>.Instance);

    public int Count { get; private set; }

    /// <summary>The number of this sequence, a new one (the count so far) when it was not seen before.</summary>
    public int Intern(ReadOnlySpan<int> sequence, out bool added)
    {
        bool exists;
        ref var number = ref TryPack(sequence, out var packed)
            ? ref CollectionsMarshal.GetValueRefOrAddDefault(_packed, packed, out exists)
            : ref CollectionsMarshal.GetValueRefOrAddDefault(_numbers.GetAlternateLookup<ReadOnlySpan<int>>(), sequence, out exists);
        added = !exists;
        if (added) { number = Count++; }
        return number;
    }

    /// <summary>The sequence as one long (its length in the top 4 bits, each number plus one in 10 bits), when it fits.</summary>
    private static bool TryPack(ReadOnlySpan<int> sequence, out long packed)
    {
        packed = sequence.Length;
        if (sequence.Length > PackedLength) { return false; }
        foreach (var value in sequence)
        {
            if ((uint)(value + 1) > PackedMax + 1) { return false; }
            packed = (packed << Bits) | (uint)(value + 1);
        }

        return true;
    }
}
