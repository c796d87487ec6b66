using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>
/// Table-driven rules of the heuristic models. A path is written as touch codes: a letter is the channel,
/// "d" marks a direct touch, "L" suffix the lead-creation touch (e.g. "a dL b"). Times are one day apart,
/// the conversion one day after the last touch.
/// </summary>
public sealed class HeuristicModelsTests
{
    private const long Day = 86_400_000;

    public static TheoryData<HeuristicModel, string, double[]> Rules => new()
    {
        { HeuristicModel.FirstTouch, "a", [1] },
        { HeuristicModel.FirstTouch, "a b c", [1, 0, 0] },
        { HeuristicModel.FirstTouch, "d a", [1, 0] },
        { HeuristicModel.LastTouch, "a", [1] },
        { HeuristicModel.LastTouch, "a b c", [0, 0, 1] },
        { HeuristicModel.LastTouch, "a d", [0, 1] },
        { HeuristicModel.LastNonDirect, "a d", [1, 0] },
        { HeuristicModel.LastNonDirect, "a b d d", [0, 1, 0, 0] },
        { HeuristicModel.LastNonDirect, "d a d", [0, 1, 0] },
        { HeuristicModel.LastNonDirect, "d d", [0, 1] },
        { HeuristicModel.LastNonDirect, "d", [1] },
        { HeuristicModel.LastNonDirect, "a b", [0, 1] },
        { HeuristicModel.Linear, "a", [1] },
        { HeuristicModel.Linear, "a b", [0.5, 0.5] },
        { HeuristicModel.Linear, "a a b", [1.0 / 3, 1.0 / 3, 1.0 / 3] },
        { HeuristicModel.Linear, "a b c d e", [0.2, 0.2, 0.2, 0.2, 0.2] },
        { HeuristicModel.PositionBased, "a", [1] },
        { HeuristicModel.PositionBased, "a b", [0.5, 0.5] },
        { HeuristicModel.PositionBased, "a b c", [0.4, 0.2, 0.4] },
        { HeuristicModel.PositionBased, "a b c d", [0.4, 0.1, 0.1, 0.4] },
        { HeuristicModel.PositionBased, "a b c d e f", [0.4, 0.05, 0.05, 0.05, 0.05, 0.4] },
        // W-shaped: 30 first + 30 lead + 30 last + 10 over the rest, normalised when a share has nowhere to go.
        { HeuristicModel.WShaped, "a", [1] },
        { HeuristicModel.WShaped, "aL", [1] },
        { HeuristicModel.WShaped, "a b", [0.5, 0.5] },
        { HeuristicModel.WShaped, "aL b", [2.0 / 3, 1.0 / 3] },
        { HeuristicModel.WShaped, "a bL", [1.0 / 3, 2.0 / 3] },
        { HeuristicModel.WShaped, "a bL c", [1.0 / 3, 1.0 / 3, 1.0 / 3] },
        { HeuristicModel.WShaped, "aL b c", [0.6, 0.1, 0.3] },
        { HeuristicModel.WShaped, "a b cL", [0.3, 0.1, 0.6] },
        { HeuristicModel.WShaped, "a b c", [3.0 / 7, 1.0 / 7, 3.0 / 7] },
        { HeuristicModel.WShaped, "a bL c d", [0.3, 0.3, 0.1, 0.3] },
        { HeuristicModel.WShaped, "a b cL d e", [0.3, 0.05, 0.3, 0.05, 0.3] },
        { HeuristicModel.WShaped, "a bL cL d", [0.3, 0.3, 0.1, 0.3] },
        { HeuristicModel.WShaped, "aL b c d", [0.6, 0.05, 0.05, 0.3] },
        // Time decay, 7-day half-life, touches one day apart: weights 2^(-k/7), k = days before the last touch.
        { HeuristicModel.TimeDecay, "a", [1] },
        { HeuristicModel.TimeDecay, "a b", Normalised(Math.Pow(2, -1.0 / 7), 1) },
        { HeuristicModel.TimeDecay, "a b c", Normalised(Math.Pow(2, -2.0 / 7), Math.Pow(2, -1.0 / 7), 1) },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Credits_follow_the_rule(HeuristicModel model, string path, double[] expected)
    {
        var touches = Parse(path, out var conversionMs);
        var credits = new double[touches.Length];

        HeuristicModels.Compute(model, touches, conversionMs, credits, AttributionOptions.Default);

        Assert.Equal(expected.Length, credits.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], credits[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(AllModelsAndLengths))]
    public void Credits_of_one_conversion_sum_to_one(HeuristicModel model, int length)
    {
        var touches = Enumerable.Range(0, length)
            .Select(i => new Touchpoint($"c{i % 3}", i * Day, (i % 4 == 1 ? TouchFlags.Direct : 0) | (i == length / 2 ? TouchFlags.LeadCreation : 0)))
            .ToArray();
        var credits = new double[length + 2];
        credits.AsSpan().Fill(-1);

        HeuristicModels.Compute(model, touches, length * Day, credits, AttributionOptions.Default);

        Assert.Equal(1, credits.Take(length).Sum(), 1e-12);
        Assert.All(credits.Take(length), c => Assert.InRange(c, 0, 1));
        Assert.Equal([-1, -1], credits.Skip(length));
    }

    public static TheoryData<HeuristicModel, int> AllModelsAndLengths()
    {
        var data = new TheoryData<HeuristicModel, int>();
        foreach (var model in Enum.GetValues<HeuristicModel>())
        {
            foreach (var length in new[] { 1, 2, 3, 4, 7, 50 })
            {
                data.Add(model, length);
            }
        }

        return data;
    }

    [Fact]
    public void Time_decay_halves_the_weight_per_half_life()
    {
        // Google Ads: with a 7-day half-life a touch 8 days before conversion gets half the credit of one 1 day before.
        var touches = new[] { new Touchpoint("a", 0), new Touchpoint("b", 7 * Day) };
        var credits = new double[2];

        HeuristicModels.Compute(HeuristicModel.TimeDecay, touches, 8 * Day, credits, AttributionOptions.Default);

        Assert.Equal(1.0 / 3, credits[0], 1e-12);
        Assert.Equal(2.0 / 3, credits[1], 1e-12);
    }

    [Fact]
    public void Time_decay_uses_the_configured_half_life()
    {
        var touches = new[] { new Touchpoint("a", 0), new Touchpoint("b", Day) };
        var credits = new double[2];
        var options = new AttributionOptions { HalfLife = TimeSpan.FromDays(1) };

        HeuristicModels.Compute(HeuristicModel.TimeDecay, touches, 2 * Day, credits, options);

        Assert.Equal(1.0 / 3, credits[0], 1e-12);
    }

    [Fact]
    public void Time_decay_of_very_old_touches_does_not_underflow()
    {
        // 20 years before the conversion 2^(-age/7d) is 0 in double; relative weights must still be exact.
        var start = 0L;
        var touches = new[] { new Touchpoint("a", start), new Touchpoint("b", start + (7 * Day)) };
        var credits = new double[2];

        HeuristicModels.Compute(HeuristicModel.TimeDecay, touches, start + (7300 * Day), credits, AttributionOptions.Default);

        Assert.Equal(1.0 / 3, credits[0], 1e-12);
        Assert.Equal(2.0 / 3, credits[1], 1e-12);
    }

    [Fact]
    public void Empty_path_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => HeuristicModels.Compute(HeuristicModel.Linear, [], 0, new double[1], AttributionOptions.Default));
    }

    [Fact]
    public void Short_credit_span_is_rejected()
    {
        var touches = new[] { new Touchpoint("a", 0), new Touchpoint("b", 1) };
        Assert.Throws<ArgumentException>(() => HeuristicModels.Compute(HeuristicModel.Linear, touches, 2, new double[1], AttributionOptions.Default));
    }

    [Theory]
    [InlineData(0.5, 0.6)]
    [InlineData(-0.1, 0.4)]
    [InlineData(0, 0)]
    [InlineData(double.NaN, 0.4)]
    public void Invalid_position_shares_are_rejected(double first, double last)
    {
        Assert.Throws<ArgumentException>(() => new AttributionOptions { FirstShare = first, LastShare = last }.Validate());
    }

    [Fact]
    public void Non_positive_half_life_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new PathAttributor(new AttributionOptions { HalfLife = TimeSpan.Zero }));
    }

    internal static Touchpoint[] Parse(string path, out long conversionMs)
    {
        var codes = path.Split(' ');
        var touches = new Touchpoint[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            var flags = TouchFlags.None;
            if (code.EndsWith('L'))
            {
                flags |= TouchFlags.LeadCreation;
                code = code[..^1];
            }

            if (code == "d")
            {
                flags |= TouchFlags.Direct;
            }

            touches[i] = new Touchpoint(code, i * Day, flags);
        }

        conversionMs = codes.Length * Day;
        return touches;
    }

    private static double[] Normalised(params double[] weights)
    {
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }
}
