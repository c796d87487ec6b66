using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class MarkovModelTests
{
    [Fact]
    public void Consecutive_repeats_are_collapsed_before_the_transition_counts()
    {
        var repeated = MarkovModel.Compute([P("a > a > b > b > b", 2, nulls: 1), P("b > a", 1, nulls: 3)]);
        var collapsed = MarkovModel.Compute([P("a > b", 2, nulls: 1), P("b > a", 1, nulls: 3)]);

        Assert.Equal(Transitions(collapsed), Transitions(repeated));
        Assert.Equal(collapsed.RemovalEffects, repeated.RemovalEffects);
        Assert.DoesNotContain(repeated.Transitions, t => t.From == t.To);
    }

    [Fact]
    public void Single_channel_paths_go_straight_from_their_state_to_the_absorbing_states()
    {
        var result = MarkovModel.Compute([P("a", 1, nulls: 3), P("b", 3, nulls: 1)]);

        var transitions = Transitions(result);
        Assert.Equal(0.5, transitions["(start)->a"], 1e-15);
        Assert.Equal(0.25, transitions["a->(conversion)"], 1e-15);
        Assert.Equal(0.75, transitions["b->(conversion)"], 1e-15);
        Assert.Equal(0.5, result.ConversionProbability, 1e-15);
        // Each channel alone carries its conversions: removal effects 0.25 and 0.75 of P(conv) 0.5.
        Assert.Equal(0.25, result.RemovalEffects["a"], 1e-15);
        Assert.Equal(0.75, result.RemovalEffects["b"], 1e-15);
        Assert.Equal(1, result.Channels["a"].Conversions, 1e-12);
        Assert.Equal(3, result.Channels["b"].Conversions, 1e-12);
    }

    [Fact]
    public void Second_order_states_are_windows_of_two_channels()
    {
        var result = MarkovModel.Compute([P("a > b > c", 1), P("a > b > a", 0, nulls: 1), P("c", 1)], order: 2);

        var transitions = Transitions(result);
        Assert.Equal(2.0 / 3, transitions["(start)->a,b"], 1e-15);
        Assert.Equal(1.0 / 3, transitions["(start)->c"], 1e-15);
        Assert.Equal(0.5, transitions["a,b->b,c"], 1e-15);
        Assert.Equal(0.5, transitions["a,b->b,a"], 1e-15);
        Assert.Equal(1, transitions["b,c->(conversion)"], 1e-15);
        Assert.Equal(1, transitions["b,a->(null)"], 1e-15);
        Assert.Equal(1, transitions["c->(conversion)"], 1e-15);
        Assert.Equal(5, result.StateCount); // (start), (a,b), (b,c), (b,a), (c)
        // P(conv) = 2/3·1/2 + 1/3 = 2/3; removing a or b kills the a,b path: 1 - (1/3)/(2/3) = 0.5.
        Assert.Equal(2.0 / 3, result.ConversionProbability, 1e-15);
        Assert.Equal(0.5, result.RemovalEffects["a"], 1e-12);
        Assert.Equal(0.5, result.RemovalEffects["b"], 1e-12);
        Assert.Equal(1, result.RemovalEffects["c"], 1e-12);
    }

    [Fact]
    public void Higher_order_collapses_repeated_windows_not_repeated_channels()
    {
        var result = MarkovModel.Compute([P("a > a > a > b", 1)], order: 2);

        // Windows (a,a), (a,a), (a,b): the repeated window collapses, the repeat inside a window stays.
        Assert.Equal(["(start)->a,a", "a,a->a,b", "a,b->(conversion)"], Transitions(result).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Attributed_conversions_and_value_add_up_to_the_totals(int order)
    {
        var paths = SyntheticPaths.Generate(seed: 7, distinctPaths: 300, channels: 6);

        var result = MarkovModel.Compute(paths, order);

        Assert.Equal(paths.Sum(p => p.Conversions), result.Channels.Values.Sum(c => c.Conversions), 1e-6);
        Assert.Equal(paths.Sum(p => p.Value), result.Channels.Values.Sum(c => c.Value), 1e-6);
        Assert.All(result.RemovalEffects.Values, e => Assert.InRange(e, 0, 1));
    }

    [Fact]
    public void Dense_and_iterative_solvers_agree()
    {
        var graph = MarkovGraph.Build(SyntheticPaths.Generate(seed: 11, distinctPaths: 2000, channels: 8), order: 3);
        var chain = graph.ToChain();
        var removed = new bool[chain.StateCount];
        Assert.True(chain.StateCount > 50);

        for (var channel = -1; channel < graph.ChannelNames.Count; channel++)
        {
            Array.Clear(removed);
            if (channel >= 0)
            {
                graph.MarkStatesContaining(channel, removed);
            }

            var dense = chain.SolveFromStart(removed, dense: true);
            var iterative = chain.SolveFromStart(removed, dense: false);
            Assert.Equal(dense.Conversion, iterative.Conversion, 1e-12);
            Assert.Equal(dense.Value, iterative.Value, 1e-9 * Math.Max(1, Math.Abs(dense.Value)));
        }
    }

    [Fact]
    public void Large_chains_use_the_iterative_solver_and_stay_exact()
    {
        var paths = SyntheticPaths.Generate(seed: 3, distinctPaths: 5000, channels: 10);
        var result = MarkovModel.Compute(paths, order: 3);

        Assert.True(result.StateCount > AbsorbingChain.DenseLimit);
        Assert.Equal(paths.Sum(p => p.Conversions), result.Channels.Values.Sum(c => c.Conversions), 1e-6);
    }

    [Fact]
    public void Paths_without_conversions_or_nulls_add_nothing()
    {
        var with = MarkovModel.Compute([P("a > b", 2, nulls: 1), P("b > a > c", 0, nulls: 0)]);
        var without = MarkovModel.Compute([P("a > b", 2, nulls: 1)]);

        Assert.Equal(Transitions(without), Transitions(with));
        Assert.Equal(0, with.RemovalEffects["c"]);
        Assert.Equal(0, with.Channels["c"].Conversions);
    }

    [Fact]
    public void No_conversions_at_all_gives_zero_everywhere()
    {
        var result = MarkovModel.Compute([P("a > b", 0, nulls: 5)]);

        Assert.Equal(0, result.ConversionProbability);
        Assert.All(result.Channels.Values, c => Assert.Equal(default, c));
    }

    [Fact]
    public void Value_removal_effects_use_the_mean_value_of_the_last_state()
    {
        // Converting from a is worth 10 a conversion, from b 90: b carries most of the value.
        var result = MarkovModel.Compute([P("a", 1, value: 10), P("b", 1, value: 90)]);

        Assert.Equal(0.5, result.RemovalEffects["a"], 1e-15);
        Assert.Equal(0.1, result.ValueRemovalEffects["a"], 1e-15);
        Assert.Equal(0.9, result.ValueRemovalEffects["b"], 1e-15);
        Assert.Equal(10, result.Channels["a"].Value, 1e-12);
        Assert.Equal(90, result.Channels["b"].Value, 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Order_outside_one_to_four_is_rejected(int order)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkovModel.Compute([P("a", 1)], order));
    }

    internal static PathCount P(string path, double conversions, double value = 0, double nulls = 0) =>
        new(path.Split('>').Select(c => c.Trim()).ToArray(), conversions, value, nulls);

    private static Dictionary<string, double> Transitions(MarkovResult result) =>
        result.Transitions.ToDictionary(t => $"{t.From}->{t.To}", t => t.Probability);
}
