using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class PathAttributorTests
{
    private const long Day = 86_400_000;
    private const long Conversion = 100 * Day;

    [Theory]
    [InlineData(1, new[] { 0.0, 0, 0, 1 })]
    [InlineData(7, new[] { 0.0, 0, 0.5, 0.5 })]
    [InlineData(30, new[] { 0.0, 1.0 / 3, 1.0 / 3, 1.0 / 3 })]
    [InlineData(90, new[] { 0.25, 0.25, 0.25, 0.25 })]
    public void LookbackWindowDropsOlderTouches(int days, double[] expected)
    {
        // Touches 60, 20, 5 and 0.5 days before the conversion.
        var path = Path(("a", 60 * Day, TouchFlags.None), ("b", 20 * Day, TouchFlags.None), ("c", 5 * Day, TouchFlags.None), ("d", Day / 2, TouchFlags.None));
        var credits = new double[4];
        var attributor = new PathAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(days) });

        var kept = attributor.Attribute(HeuristicModel.Linear, path, credits);

        Assert.Equal(expected.Count(e => e > 0), kept);
        Assert.Equal(expected, credits, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Touch_exactly_at_the_window_edge_counts()
    {
        var path = Path(("a", 7 * Day, TouchFlags.None), ("b", 0, TouchFlags.None));
        var credits = new double[2];

        new PathAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(7) }).Attribute(HeuristicModel.FirstTouch, path, credits);

        Assert.Equal([1.0, 0], credits);
    }

    [Fact]
    public void No_touch_inside_the_window_leaves_the_conversion_unattributed()
    {
        var path = Path(("a", 40 * Day, TouchFlags.None), ("b", 31 * Day, TouchFlags.None));
        var credits = new[] { 9.0, 9.0 };

        var kept = new PathAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(30) }).Attribute(HeuristicModel.LastTouch, path, credits);

        Assert.Equal(0, kept);
        Assert.Equal([0.0, 0], credits);
    }

    [Fact]
    public void Touches_after_the_conversion_never_count()
    {
        var touches = new[] { new Touchpoint("a", Conversion - Day), new Touchpoint("b", Conversion + Day) };
        var credits = new double[2];

        var kept = new PathAttributor().Attribute(HeuristicModel.LastTouch, touches, Conversion, credits);

        Assert.Equal(1, kept);
        Assert.Equal([1.0, 0], credits);
    }

    [Fact]
    public void Paid_clicks_first_ignores_direct_organic_and_email_when_a_paid_touch_exists()
    {
        var path = Path(
            ("organic", 5 * Day, TouchFlags.Organic),
            ("cpc", 4 * Day, TouchFlags.Paid),
            ("referral", 3 * Day, TouchFlags.None),
            ("email", 2 * Day, TouchFlags.Email),
            ("direct", Day, TouchFlags.Direct));
        var credits = new double[5];

        var kept = new PathAttributor(new AttributionOptions { PaidClicksFirst = true }).Attribute(HeuristicModel.LastTouch, path, credits);

        Assert.Equal(2, kept);
        Assert.Equal([0.0, 0, 1, 0, 0], credits);
    }

    [Fact]
    public void Paid_clicks_first_keeps_every_touch_when_none_is_paid()
    {
        var path = Path(("organic", 3 * Day, TouchFlags.Organic), ("direct", Day, TouchFlags.Direct));
        var credits = new double[2];

        var kept = new PathAttributor(new AttributionOptions { PaidClicksFirst = true }).Attribute(HeuristicModel.LastTouch, path, credits);

        Assert.Equal(2, kept);
        Assert.Equal([0.0, 1], credits);
    }

    [Fact]
    public void Paid_clicks_first_looks_only_for_paid_touches_inside_the_window()
    {
        var path = Path(("cpc", 40 * Day, TouchFlags.Paid), ("email", 2 * Day, TouchFlags.Email), ("direct", Day, TouchFlags.Direct));
        var credits = new double[3];
        var options = new AttributionOptions { PaidClicksFirst = true, Lookback = TimeSpan.FromDays(30) };

        new PathAttributor(options).Attribute(HeuristicModel.FirstTouch, path, credits);

        Assert.Equal([0.0, 1, 0], credits);
    }

    [Fact]
    public void Filtered_touches_keep_their_original_indices_for_position_based()
    {
        var path = Path(
            ("a", 50 * Day, TouchFlags.Paid), ("x", 40 * Day, TouchFlags.Direct), ("b", 30 * Day, TouchFlags.Paid),
            ("c", 20 * Day, TouchFlags.Paid), ("y", 10 * Day, TouchFlags.Email));
        var credits = new double[5];

        new PathAttributor(new AttributionOptions { PaidClicksFirst = true }).Attribute(HeuristicModel.PositionBased, path, credits);

        Assert.Equal([0.4, 0, 0.2, 0.4, 0], credits, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Reused_attributor_grows_for_long_paths()
    {
        var attributor = new PathAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(365) });
        var touches = Enumerable.Range(0, 100).Select(i => new Touchpoint("c" + i, Conversion - ((100 - i) * Day / 10))).ToArray();
        var credits = new double[100];

        var kept = attributor.Attribute(HeuristicModel.Linear, new ConversionPath(touches, Conversion), credits);

        Assert.Equal(100, kept);
        Assert.All(credits, c => Assert.Equal(0.01, c, 1e-15));
    }

    [Fact]
    public void Conversion_path_rejects_touches_out_of_order()
    {
        Assert.Throws<ArgumentException>(() => new ConversionPath([new Touchpoint("a", 2), new Touchpoint("b", 1)], 3));
    }

    [Fact]
    public void Aggregate_groups_filtered_channel_sequences()
    {
        var options = new AttributionOptions { Lookback = TimeSpan.FromDays(10) };
        ConversionPath[] paths =
        [
            Path(("old", 20 * Day, TouchFlags.None), ("a", 2 * Day, TouchFlags.None), ("b", Day, TouchFlags.None)),
            new ConversionPath([new Touchpoint("a", Conversion - (3 * Day)), new Touchpoint("b", Conversion - Day)], Conversion, 0, 0, 1),
            new ConversionPath([new Touchpoint("c", Conversion - (5 * Day))], Conversion, 1, 30),
            new ConversionPath([new Touchpoint("a", Conversion - (50 * Day))], Conversion, 1, 10),
        ];

        var counts = PathCounts.Aggregate(paths, options, out var unattributed);

        Assert.Equal(2, counts.Count);
        Assert.Equal(["a", "b"], counts[0].Channels);
        Assert.Equal((1.0, 0.0, 1.0), (counts[0].Conversions, counts[0].Value, counts[0].Nulls));
        Assert.Equal(["c"], counts[1].Channels);
        Assert.Equal((1.0, 30.0, 0.0), (counts[1].Conversions, counts[1].Value, counts[1].Nulls));
        Assert.Equal(1, unattributed);
    }

    private static ConversionPath Path(params (string Channel, long AgeMs, TouchFlags Flags)[] touches) =>
        new(touches.Select(t => new Touchpoint(t.Channel, Conversion - t.AgeMs, t.Flags)).ToArray(), Conversion);
}
