using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Runs;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>
/// The sums over paths a store keeps for the refit (<see cref="ChannelModelCounts"/>): fitted from them, Markov and Shapley
/// give what they give fitted from the paths; kept by delta, they are the sums of the paths now present.
/// </summary>
public sealed class ChannelModelCountsTests
{
    /// <summary>Every channel sequence of 1–3 channels over two channels, each with its own conversions, value and nulls.</summary>
    private static readonly PathCount[] Universe = BuildUniverse();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Fitted_from_the_counts_of_any_set_of_paths_the_models_give_what_they_give_from_the_paths(int order)
    {
        for (var subset = 1; subset < 1 << Universe.Length; subset++)
        {
            var paths = Pick(subset);
            AssertSameFit(ChannelModelFit.Fit(paths, order), ChannelModelFit.Fit(ChannelModelCounts.Of(paths, order)), subset);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Counts_kept_by_delta_are_the_counts_of_the_paths_present(int order)
    {
        var all = ChannelModelCounts.Of(Universe, order);
        for (var subset = 0; subset < 1 << Universe.Length; subset++)
        {
            // What a tick does: the stored counts of everything, the paths that went taken out, then (here) none added.
            var kept = ChannelModelCounts.FromRows(order, all.Rows);
            for (var i = 0; i < Universe.Length; i++)
            {
                if ((subset & (1 << i)) == 0) { kept.Add(Universe[i].Channels, Universe[i].Conversions, Universe[i].Value, Universe[i].Nulls, -1); }
            }

            AssertSameRows(ChannelModelCounts.Of(Pick(subset), order), kept, subset);
        }
    }

    [Fact]
    public void A_path_taken_out_and_put_back_leaves_the_counts_as_they_were()
    {
        var counts = ChannelModelCounts.Of(SyntheticPaths.Generate(seed: 7, distinctPaths: 300, channels: 6), 2);
        var before = counts.Rows.ToDictionary();
        var path = Universe[5];
        counts.Add(path.Channels, path.Conversions, path.Value, path.Nulls, 1);
        counts.Add(path.Channels, path.Conversions, path.Value, path.Nulls, -1);
        Assert.Equal(Sorted(before.Keys), Sorted(counts.Rows.Keys));
        foreach (var (key, totals) in before) { AssertClose(totals, counts.Rows[key], key.ToString()); }
    }

    [Fact]
    public void Above_the_exact_limit_the_sampled_Shapley_from_counts_is_the_one_from_paths()
    {
        var paths = SyntheticPaths.Generate(seed: 29, distinctPaths: 700, channels: 18);

        AssertSameFit(ChannelModelFit.Fit(paths, 1), ChannelModelFit.Fit(ChannelModelCounts.Of(paths, 1)), 18);
    }

    [Fact]
    public void Larger_random_paths_fit_the_same_from_their_counts_at_every_order()
    {
        var paths = SyntheticPaths.Generate(seed: 3, distinctPaths: 2000, channels: 8);
        for (var order = 1; order <= 4; order++)
        {
            AssertSameFit(ChannelModelFit.Fit(paths, order), ChannelModelFit.Fit(ChannelModelCounts.Of(paths, order)), order);
        }
    }

    [Fact]
    public void The_rows_of_a_path_are_its_total_walk_end_and_channel_set()
    {
        var counts = ChannelModelCounts.Of([new PathCount(["b", "a", "a", "c"], 2, 30, 1)], 2);
        Assert.Equal(
            [
                $"{CountKind.Total}||=2/30/1",
                $"{CountKind.Transition}||b > a=2/0/1",
                $"{CountKind.Transition}|a > a|a > c=2/0/1",
                $"{CountKind.Transition}|b > a|a > a=2/0/1",
                $"{CountKind.End}|a > c|=2/30/1",
                $"{CountKind.ChannelSet}|a > b > c|=2/30/1",
            ],
            counts.Rows.OrderBy(r => r.Key.Kind).ThenBy(r => r.Key.From, StringComparer.Ordinal)
                .Select(r => FormattableString.Invariant($"{r.Key.Kind}|{r.Key.From}|{r.Key.To}={r.Value.Conversions}/{r.Value.Value}/{r.Value.Nulls}")));
    }

    [Fact]
    public void A_path_that_weighs_nothing_counts_only_in_the_total_and_no_path_leaves_only_the_total()
    {
        // No store keeps such a path (path_counts drops a path with no conversion and no null); fitted from paths, its
        // channels would be listed with no credit, from counts they are not there at all.
        var counts = ChannelModelCounts.Of([new PathCount(["a"], 0, 0, 0)], 1);
        Assert.Equal([new CountKey(CountKind.Total, "", "")], counts.Rows.Keys);
        Assert.Empty(ChannelModelFit.Fit(counts));
        Assert.Empty(ChannelModelFit.Fit(new ChannelModelCounts(1)));
    }

    [Fact]
    public void A_sign_other_than_one_or_minus_one_and_an_order_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelModelCounts(1).Add(["a"], 1, 1, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelModelCounts(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChannelModelCounts(5));
    }

    private static PathCount[] BuildUniverse()
    {
        var sequences = new List<string[]>();
        foreach (var length in new[] { 1, 2, 3 })
        {
            for (var bits = 0; bits < 1 << length; bits++)
            {
                sequences.Add([.. Enumerable.Range(0, length).Select(i => (bits & (1 << i)) == 0 ? "a" : "b")]);
            }
        }

        // Whole-number conversions and nulls (as stores count them), values with fractions; every path weighs something, as
        // every path a store keeps does (one that weighs nothing counts only in the total: see the test above).
        return [.. sequences.Select((channels, i) => new PathCount(channels, i % 3, (i % 3) * (10.25 + i), i % 3 == 0 ? 1 + (i % 2) : (i + 1) % 2))];
    }

    private static List<PathCount> Pick(int subset) => [.. Universe.Where((_, i) => (subset & (1 << i)) != 0)];

    private static void AssertSameFit(List<ChannelModelRow> expected, List<ChannelModelRow> actual, int context)
    {
        Assert.Equal(expected.Select(r => (r.Model, r.Channel)), actual.Select(r => (r.Model, r.Channel)));
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            foreach (var (x, y) in new[] { (e.Weight, a.Weight), (e.Conversions, a.Conversions), (e.Value, a.Value), (e.StandardError, a.StandardError) })
            {
                Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"case {context}, {e.Model} {e.Channel}: {x} vs {y}");
            }
        }
    }

    /// <summary>The same keys; conversions and nulls exactly (whole numbers), values to the last bits.</summary>
    private static void AssertSameRows(ChannelModelCounts expected, ChannelModelCounts actual, int context)
    {
        Assert.Equal(Sorted(expected.Rows.Keys), Sorted(actual.Rows.Keys));
        foreach (var (key, totals) in expected.Rows) { AssertClose(totals, actual.Rows[key], $"case {context}, {key}"); }
    }

    private static List<string> Sorted(IEnumerable<CountKey> keys) => [.. keys.Select(k => k.ToString()).Order(StringComparer.Ordinal)];

    private static void AssertClose(CountTotals expected, CountTotals actual, string context)
    {
        Assert.Equal((expected.Conversions, expected.Nulls), (actual.Conversions, actual.Nulls));
        Assert.True(Math.Abs(expected.Value - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{context}: {expected.Value} vs {actual.Value}");
    }
}
