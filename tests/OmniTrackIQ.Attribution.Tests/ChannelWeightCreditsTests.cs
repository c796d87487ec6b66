using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class ChannelWeightCreditsTests
{
    private static readonly Dictionary<string, double> Weights = new() { ["a"] = 0.6, ["b"] = 0.2, ["c"] = 0, ["d"] = 0.2 };

    public static TheoryData<string, double[]> Cases => new()
    {
        { "a b", [0.75, 0.25] },
        { "a b a", [0.375, 0.25, 0.375] },
        { "b d", [0.5, 0.5] },
        { "a c", [1, 0] },
        { "c", [1] },
        { "c c unknown", [1.0 / 3, 1.0 / 3, 1.0 / 3] },
        { "a unknown b", [0.75, 0, 0.25] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Credits_follow_the_channel_weights(string path, double[] expected)
    {
        var touches = path.Split(' ').Select((c, i) => new Touchpoint(c, i)).ToArray();
        var credits = new double[touches.Length];

        ChannelWeightCredits.Distribute(Weights, touches, credits);

        Assert.Equal(expected, credits, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Markov_removal_effects_become_per_conversion_credits()
    {
        var result = MarkovModel.Compute([MarkovModelTests.P("a > b", 3, nulls: 1), MarkovModelTests.P("a > c", 1, nulls: 1)]);
        var credits = new double[2];

        ChannelWeightCredits.Distribute(result.RemovalEffects, [new Touchpoint("a", 0), new Touchpoint("b", 1)], credits);

        Assert.Equal(1 / 1.75, credits[0], 1e-12);
        Assert.Equal(0.75 / 1.75, credits[1], 1e-12);
    }
}
