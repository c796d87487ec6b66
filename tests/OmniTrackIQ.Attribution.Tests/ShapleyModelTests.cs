using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using static OmniTrackIQ.Attribution.Tests.MarkovModelTests;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class ShapleyModelTests
{
    [Fact]
    public void Exact_values_match_the_unanimity_decomposition()
    {
        // v(S) = Σ_T w_T·[T ⊆ S] is a sum of unanimity games, whose Shapley value splits w_T equally over T.
        // That closed form is an independent oracle for the subset DP.
        var paths = SyntheticPaths.Generate(seed: 5, distinctPaths: 400, channels: 12);

        var result = ShapleyModel.Compute(paths);

        Assert.True(result.IsExact);
        var oracle = Oracle(paths);
        foreach (var (channel, credit) in result.Channels)
        {
            Assert.Equal(oracle.GetValueOrDefault(channel).Conversions, credit.Conversions, 1e-9);
            Assert.Equal(oracle.GetValueOrDefault(channel).Value, credit.Value, 1e-7);
        }
    }

    [Fact]
    public void Order_and_repeats_inside_a_path_do_not_matter()
    {
        var a = ShapleyModel.Compute([P("x > y > x", 6), P("y", 2)]);
        var b = ShapleyModel.Compute([P("y > x", 6), P("y > y", 2)]);

        Assert.Equal(a.Channels, b.Channels);
        Assert.Equal(3, a.Channels["x"].Conversions, 1e-12);
        Assert.Equal(5, a.Channels["y"].Conversions, 1e-12);
    }

    [Fact]
    public void Channels_only_on_non_converting_paths_get_zero()
    {
        var result = ShapleyModel.Compute([P("a > b", 4, value: 40), P("c > a", 0, nulls: 9)]);

        Assert.Equal(new ChannelCredit(0, 0), result.Channels["c"]);
        Assert.Equal(new ChannelCredit(2, 20), result.Channels["a"]);
        Assert.Equal(new ChannelCredit(2, 20), result.Channels["b"]);
    }

    [Fact]
    public void Fifteen_channels_are_still_exact()
    {
        var paths = SyntheticPaths.Generate(seed: 9, distinctPaths: 600, channels: 15);

        var result = ShapleyModel.Compute(paths);

        Assert.True(result.IsExact);
        Assert.Equal(15, result.Channels.Count);
        Assert.Equal(paths.Sum(p => p.Conversions), result.Channels.Values.Sum(c => c.Conversions), 1e-9);
    }

    [Fact]
    public void Above_the_exact_limit_sampling_stays_within_its_standard_error()
    {
        var paths = SyntheticPaths.Generate(seed: 13, distinctPaths: 800, channels: 20);
        var options = new ShapleyOptions { Permutations = 400, Seed = 42 };

        var result = ShapleyModel.Compute(paths, options);

        Assert.False(result.IsExact);
        Assert.Equal(400, result.Permutations);
        var oracle = Oracle(paths);
        foreach (var (channel, credit) in result.Channels)
        {
            var error = result.StandardErrors[channel];
            // 5 standard errors: a correct sampler fails this with probability ~6e-7 per channel.
            Assert.InRange(credit.Conversions, oracle[channel].Conversions - (5 * error.Conversions) - 1e-9, oracle[channel].Conversions + (5 * error.Conversions) + 1e-9);
            Assert.InRange(credit.Value, oracle[channel].Value - (5 * error.Value) - 1e-9, oracle[channel].Value + (5 * error.Value) + 1e-9);
        }

        // Efficiency holds for every single permutation, so the sampled total is exact.
        Assert.Equal(paths.Sum(p => p.Conversions), result.Channels.Values.Sum(c => c.Conversions), 1e-9);
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_given_seed()
    {
        var paths = SyntheticPaths.Generate(seed: 17, distinctPaths: 300, channels: 18);
        var options = new ShapleyOptions { Permutations = 50, Seed = 7 };

        Assert.Equal(ShapleyModel.Compute(paths, options).Channels, ShapleyModel.Compute(paths, options).Channels);
        Assert.NotEqual(ShapleyModel.Compute(paths, options).Channels, ShapleyModel.Compute(paths, options with { Seed = 8 }).Channels);
    }

    [Fact]
    public void A_sampled_estimate_does_not_depend_on_the_order_the_paths_come_in()
    {
        // Stores read paths in their own order, and a store that keeps channel sets plays the game on those: the
        // sampled estimate (above the exact limit) must be the same for the same paths (to the last bits a different
        // order of summing the same weights leaves); before players were numbered by name, it was another sample.
        var paths = SyntheticPaths.Generate(seed: 23, distinctPaths: 500, channels: 19);
        var options = new ShapleyOptions { Permutations = 60, Seed = 3 };
        var reversed = paths.AsEnumerable().Reverse().ToList();
        var byText = paths.OrderByDescending(p => string.Join(">", p.Channels), StringComparer.Ordinal).ToList();

        var expected = ShapleyModel.Compute(paths, options);

        Assert.False(expected.IsExact);
        foreach (var other in new[] { ShapleyModel.Compute(reversed, options), ShapleyModel.Compute(byText, options) })
        {
            AssertSameCredits(expected.Channels, other.Channels);
            AssertSameCredits(expected.StandardErrors, other.StandardErrors);
        }
    }

    private static void AssertSameCredits(IReadOnlyDictionary<string, ChannelCredit> expected, IReadOnlyDictionary<string, ChannelCredit> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (channel, credit) in expected)
        {
            Assert.Equal(credit.Conversions, actual[channel].Conversions, 1e-9);
            Assert.Equal(credit.Value, actual[channel].Value, 1e-9 * Math.Max(1, Math.Abs(credit.Value)));
        }
    }

    [Fact]
    public void Exact_limit_can_be_lowered_to_force_sampling()
    {
        var result = ShapleyModel.Compute([P("a > b", 4)], new ShapleyOptions { ExactMaxChannels = 1, Permutations = 10 });

        Assert.False(result.IsExact);
        // With one set {a, b}, whichever comes last gets all 4: mean 2 ± sampling noise.
        Assert.Equal(4, result.Channels["a"].Conversions + result.Channels["b"].Conversions, 1e-12);
    }

    [Theory]
    [InlineData(-1, 100)]
    [InlineData(25, 100)]
    [InlineData(15, 1)]
    public void Invalid_options_are_rejected(int exactMax, int permutations)
    {
        Assert.Throws<ArgumentException>(() => ShapleyModel.Compute([P("a", 1)], new ShapleyOptions { ExactMaxChannels = exactMax, Permutations = permutations }));
    }

    private static Dictionary<string, ChannelCredit> Oracle(IEnumerable<PathCount> paths)
    {
        var oracle = new Dictionary<string, ChannelCredit>();
        foreach (var path in paths)
        {
            var set = path.Channels.Distinct().ToArray();
            foreach (var channel in set)
            {
                var current = oracle.GetValueOrDefault(channel);
                oracle[channel] = new ChannelCredit(current.Conversions + (path.Conversions / set.Length), current.Value + (path.Value / set.Length));
            }
        }

        return oracle;
    }
}
