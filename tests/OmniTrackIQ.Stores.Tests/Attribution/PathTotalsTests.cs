using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>The delta a tick applies to path_counts: old paths out, new paths in, emptied paths gone.</summary>
public sealed class PathTotalsTests
{
    [Fact]
    public void Merge_takes_the_old_paths_out_puts_the_new_in_and_names_only_the_paths_they_touch()
    {
        var current = Totals(("A", new(3, 30.5, 1)), ("A > B", new(1, 10, 0)), ("C", new(0, 0, 4)), ("D", new(2, 2, 2)));
        var removed = Totals(("A", new(1, 10.5, 1)), ("A > B", new(1, 10, 0)), ("C", new(0, 0, 1)));
        var added = Totals(("A", new(1, 7, 0)), ("B", new(1, 5, 0)), ("C", new(0, 0, 1)));

        var merged = PathTotals.Merge(current, removed, added);

        Assert.Equal(Totals(("A", new(3, 27, 0)), ("B", new(1, 5, 0)), ("C", new(0, 0, 4))), merged); // "A > B" is followed by no one now; "D" is untouched
    }

    [Fact]
    public void A_path_left_without_conversions_keeps_no_rounding_residue_of_its_value()
    {
        var merged = PathTotals.Merge(Totals(("A", new(1, 0.1 + 0.2, 2))), Totals(("A", new(1, 0.3, 1))), Totals());

        Assert.Equal(Totals(("A", new(0, 0, 1))), merged);
    }

    private static Dictionary<string, PathTotals> Totals(params (string Path, PathTotals Totals)[] rows) =>
        rows.ToDictionary(r => r.Path, r => r.Totals, StringComparer.Ordinal);
}
