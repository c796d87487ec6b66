using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>
/// Sequences are numbered in the order first seen and an equal sequence gets its number back, whether it is looked up packed
/// into a long (short, small numbers) or by its contents (long or large), and no two different sequences share a number.
/// </summary>
public sealed class IntSequenceNumbersTests
{
    [Fact]
    public void Sequences_packed_or_not_are_numbered_in_the_order_first_seen_and_found_again()
    {
        var max = IntSequenceNumbers.PackedMax;
        var sequences = new int[][]
        {
            [], [-1], [0], [-1, -1], [0, -1], [-1, 0], [1, 2], [1, 2, 0], [0, 1, 2], [max], [max + 1], [max, max, max, max, max, max],
            [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 0], [0, 1, 2, 3, 4, 5, 6], [5000, 1], [1, 5000], [-2], [2, 1],
            [max + 1, max + 1, max + 1, max + 1, max + 1, max + 1], [.. Enumerable.Range(2, IntSequenceNumbers.PackedLength)],
            [.. Enumerable.Range(2, IntSequenceNumbers.PackedLength + 1)], [.. Enumerable.Range(0, IntSequenceNumbers.PackedLength)],
            [.. Enumerable.Repeat(-1, IntSequenceNumbers.PackedLength)], [.. Enumerable.Repeat(-1, IntSequenceNumbers.PackedLength + 1)],
        };
        var numbers = new IntSequenceNumbers();
        for (var i = 0; i < sequences.Length; i++)
        {
            Assert.Equal(i, numbers.Intern(sequences[i], out var added));
            Assert.True(added, $"sequence {i} [{string.Join(", ", sequences[i])}] was taken for an earlier one");
        }

        // Looked up again from other arrays with the same contents, in another order: the same numbers, nothing added.
        for (var i = sequences.Length - 1; i >= 0; i--)
        {
            Assert.Equal(i, numbers.Intern(sequences[i].ToArray(), out var added));
            Assert.False(added);
        }

        Assert.Equal(sequences.Length, numbers.Count);
    }

    [Fact]
    public void Every_short_sequence_of_small_numbers_has_its_own_number()
    {
        var numbers = new IntSequenceNumbers();
        var seen = new HashSet<int>();
        var values = new[] { -1, 0, 1, 7, IntSequenceNumbers.PackedMax };
        var count = 0;
        foreach (var length in Enumerable.Range(0, 4))
        {
            foreach (var sequence in Sequences(values, length))
            {
                Assert.True(seen.Add(numbers.Intern(sequence, out var added)));
                Assert.True(added);
                count++;
            }
        }

        Assert.Equal(1 + 5 + 25 + 125, count);
    }

    private static IEnumerable<int[]> Sequences(int[] values, int length) =>
        length == 0 ? [[]] : Sequences(values, length - 1).SelectMany(prefix => values.Select(v => (int[])[.. prefix, v]));
}
