using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using static OmniTrackIQ.Attribution.Tests.ReferenceCases;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>Every reference case in tests/data/attribution-cases, to the tolerance the case states.</summary>
public sealed class ReferenceCaseTests
{
    [Fact]
    public void Case01_VignetteRemovalEffectsAndConversions()
    {
        var root = Load("case01_markov_channelattribution_vignette.json");
        var tolerance = root.GetProperty("tolerance").GetProperty("abs").GetDouble();
        var result = MarkovModel.Compute(InputPaths(root.GetProperty("input")), order: 1);

        var expected = root.GetProperty("expected");
        Equal(Numbers(expected.GetProperty("removal_effects")), result.RemovalEffects, tolerance);
        Equal(Numbers(expected.GetProperty("attributed_conversions")), Conversions(result.Channels), tolerance);
        var intermediates = root.GetProperty("published_intermediates");
        Assert.Equal(intermediates.GetProperty("p_conversion").GetDouble(), result.ConversionProbability, tolerance);
        Assert.Equal(intermediates.GetProperty("p_conversion_without_A").GetDouble(), result.ConversionProbability * (1 - result.RemovalEffects["A"]), tolerance);
        Assert.Equal(intermediates.GetProperty("p_conversion_without_B").GetDouble(), result.ConversionProbability * (1 - result.RemovalEffects["B"]), tolerance);
    }

    [Theory]
    [InlineData("first_touch", HeuristicModel.FirstTouch)]
    [InlineData("last_touch", HeuristicModel.LastTouch)]
    [InlineData("linear", HeuristicModel.Linear)]
    [InlineData("position_based_40_40", HeuristicModel.PositionBased)]
    public void Case06_HeuristicsFixture(string expectedKey, HeuristicModel model)
    {
        var root = Load("case06_mta_eeghor_unit_tests.json");
        var subcase = Subcase(root, "heuristics_fixture");
        var credits = PathCountHeuristics.Attribute(model, InputPaths(subcase.GetProperty("input")));
        Equal(Numbers(subcase.GetProperty("expected").GetProperty(expectedKey)), Conversions(credits), Tolerance(root));
    }

    [Fact]
    public void Case06_LinearCountsRepeats()
    {
        var root = Load("case06_mta_eeghor_unit_tests.json");
        var subcase = Subcase(root, "linear_counts_repeats");
        var credits = PathCountHeuristics.Attribute(HeuristicModel.Linear, InputPaths(subcase.GetProperty("input")));
        Equal(Numbers(subcase.GetProperty("expected").GetProperty("linear_proportional")), Conversions(credits), Tolerance(root));
    }

    [Theory]
    [InlineData("40_40", 0.4, 0.4)]
    [InlineData("30_70", 0.3, 0.7)]
    public void Case06_PositionBasedTwoTouchSplitsInProportion(string expectedKey, double first, double last)
    {
        var root = Load("case06_mta_eeghor_unit_tests.json");
        var subcase = Subcase(root, "position_based_two_touch");
        var options = new AttributionOptions { FirstShare = first, LastShare = last };
        var credits = PathCountHeuristics.Attribute(HeuristicModel.PositionBased, InputPaths(subcase.GetProperty("input")), options);
        Equal(Numbers(subcase.GetProperty("expected").GetProperty(expectedKey)), Conversions(credits), Tolerance(root));
    }

    [Theory]
    [InlineData("shapley_single")]
    [InlineData("shapley_one_path_four_channels")]
    [InlineData("shapley_mixed")]
    public void Case06_Shapley(string name)
    {
        var root = Load("case06_mta_eeghor_unit_tests.json");
        var subcase = Subcase(root, name);
        var result = ShapleyModel.Compute(InputPaths(subcase.GetProperty("input")));
        Assert.True(result.IsExact);
        Equal(Numbers(subcase.GetProperty("expected").GetProperty("shapley")), Conversions(result.Channels), Tolerance(root));
    }

    [Fact]
    public void Case06_MarkovTransitionMatrixAndExactRemovalEffects()
    {
        var root = Load("case06_mta_eeghor_unit_tests.json");
        var subcase = Subcase(root, "markov_transition_matrix");
        var result = MarkovModel.Compute(InputPaths(subcase.GetProperty("input")));
        var expected = subcase.GetProperty("expected");
        var transitions = result.Transitions.ToDictionary(t => $"{t.From}->{t.To}", t => t.Probability);
        Equal(Numbers(expected.GetProperty("transitions")), transitions, Tolerance(root));
        Assert.Equal(7, transitions.Count);
        Equal(Numbers(expected.GetProperty("exact_removal_effects_derived_here")), result.RemovalEffects, Tolerance(root));
    }

    [Fact]
    public void Case07_TimeDecayWithSevenDayHalfLife()
    {
        var root = Load("case07_rule_based_definitions.json");
        var subcase = Subcase(root, "time_decay_7d_half_life");
        var input = subcase.GetProperty("input");
        var channels = input.GetProperty("path").GetString()!.Split('>').Select(c => c.Trim()).ToArray();
        var days = input.GetProperty("days_before_conversion").EnumerateArray().Select(d => d.GetDouble()).ToArray();
        var conversionMs = 1_800_000_000_000L;
        var touches = channels.Select((c, i) => new Touchpoint(c, conversionMs - (long)TimeSpan.FromDays(days[i]).TotalMilliseconds)).ToArray();
        var credits = new double[touches.Length];

        new PathAttributor().Attribute(HeuristicModel.TimeDecay, new ConversionPath(touches, conversionMs), credits);

        var expected = Numbers(subcase.GetProperty("expected").GetProperty("weights"));
        Equal(expected, channels.Select((c, i) => (c, credits[i])).ToDictionary(p => p.c, p => p.Item2), Tolerance(root));
    }

    [Theory]
    [InlineData("1_touch")]
    [InlineData("2_touch")]
    [InlineData("3_touch")]
    [InlineData("4_touch")]
    public void Case07_PositionBasedByPathLength(string key)
    {
        var root = Load("case07_rule_based_definitions.json");
        var expected = Subcase(root, "position_based_lengths").GetProperty("expected").GetProperty(key)
            .EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var touches = Enumerable.Range(0, expected.Length).Select(i => new Touchpoint($"c{i}", i)).ToArray();
        var credits = new double[touches.Length];

        HeuristicModels.Compute(HeuristicModel.PositionBased, touches, touches.Length, credits, AttributionOptions.Default);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], credits[i], Tolerance(root));
        }
    }

    [Theory]
    [InlineData("first_touch", HeuristicModel.FirstTouch)]
    [InlineData("last_touch", HeuristicModel.LastTouch)]
    [InlineData("linear", HeuristicModel.Linear)]
    [InlineData("position_based_40_20_40", HeuristicModel.PositionBased)]
    [InlineData("last_non_direct(A=direct)", HeuristicModel.LastNonDirect)]
    public void Case07_Dp6FixtureValueCredits(string expectedKey, HeuristicModel model)
    {
        var root = Load("case07_rule_based_definitions.json");
        var subcase = Subcase(root, "dp6_fixture");
        var direct = subcase.GetProperty("input").GetProperty("direct_channel").GetString();
        var credits = PathCountHeuristics.Attribute(model, InputPaths(subcase.GetProperty("input")), isDirect: c => c == direct);
        Equal(Numbers(subcase.GetProperty("expected_value").GetProperty(expectedKey)), Values(credits), Tolerance(root));
    }

    [Theory]
    [InlineData("first", HeuristicModel.FirstTouch)]
    [InlineData("last", HeuristicModel.LastTouch)]
    [InlineData("linear", HeuristicModel.Linear)]
    public void Case08_HeuristicsOnChannelAttributionData(string prefix, HeuristicModel model)
    {
        var root = Load("case08_channelattribution_pathdata_expected.json");
        var tolerance = root.GetProperty("tolerance").GetProperty("heuristics_abs").GetDouble();
        var credits = PathCountHeuristics.Attribute(model, Case08Paths());
        var heuristics = root.GetProperty("expected").GetProperty("heuristics");
        var conversions = heuristics.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty($"{prefix}_conv").GetDouble());
        var values = heuristics.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty($"{prefix}_val").GetDouble());
        Equal(conversions, Conversions(credits), tolerance);
        Equal(values, Values(credits), tolerance);
    }

    [Fact]
    public void Case08_MarkovFirstOrderExactLimit()
    {
        var root = Load("case08_channelattribution_pathdata_expected.json");
        var tolerance = root.GetProperty("tolerance").GetProperty("markov_exact_abs").GetDouble();
        var paths = Case08Paths();
        var totals = root.GetProperty("totals");
        Assert.Equal(totals.GetProperty("rows").GetInt32(), paths.Count);
        Assert.Equal(totals.GetProperty("conversions").GetDouble(), paths.Sum(p => p.Conversions), 1e-6);

        var result = MarkovModel.Compute(paths, order: 1);

        var expected = root.GetProperty("expected").GetProperty("markov_exact");
        Assert.Equal(expected.GetProperty("p_conversion").GetDouble(), result.ConversionProbability, tolerance);
        Equal(Numbers(expected.GetProperty("removal_effects")), result.RemovalEffects, tolerance);
        Equal(Numbers(expected.GetProperty("total_conversions")), Conversions(result.Channels), tolerance);
        Equal(Numbers(expected.GetProperty("value_removal_effects")), result.ValueRemovalEffects, tolerance);
        Equal(Numbers(expected.GetProperty("total_conversion_value")), Values(result.Channels), tolerance);
    }

    private static double Tolerance(System.Text.Json.JsonElement root) => root.GetProperty("tolerance").GetProperty("abs").GetDouble();
}
