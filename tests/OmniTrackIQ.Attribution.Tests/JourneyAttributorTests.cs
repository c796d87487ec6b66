using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

public sealed class JourneyAttributorTests
{
    private const long Day = 86_400_000;

    private static readonly IReadOnlyList<(string, HeuristicModel)> Models =
        [("first", HeuristicModel.FirstTouch), ("linear", HeuristicModel.Linear), ("w_shaped", HeuristicModel.WShaped)];

    private static Touchpoint T(string channel, double day, TouchFlags flags = TouchFlags.None) => new(channel, (long)(day * Day), flags);

    private static JourneyAttributor Attributor(int lookbackDays = 30, bool paidFirst = false) =>
        new(new AttributionOptions { Lookback = TimeSpan.FromDays(lookbackDays), PaidClicksFirst = paidFirst }, Models);

    [Fact]
    public void A_conversion_path_is_the_touches_inside_the_window_up_to_it()
    {
        var result = Attributor(lookbackDays: 7).Attribute(
            [T("Old", 0), T("A", 10), T("B", 12), T("After", 20)],
            [new JourneyConversion("o1", 15 * Day, 100)], null);

        var conversion = Assert.Single(result.Conversions);
        Assert.Equal(["A", "B"], conversion.Path.Select(t => t.Channel));
        Assert.Equal("A > B", conversion.PathText);
        Assert.Equal(0.5, conversion.Credits.Single(c => c.Model == "linear" && c.TouchIndex == 1).Credit, 12);
        Assert.Equal(1, conversion.Credits.Single(c => c.Model == "first").Credit, 12);
    }

    [Fact]
    public void Without_paths_the_conversions_and_their_credits_are_the_same_and_no_path_is_built()
    {
        Touchpoint[] touches = [T("A", 1), T("B", 3, TouchFlags.LeadCreation), T("C", 6), T("D", 7)];
        JourneyConversion[] conversions = [new("o1", 2 * Day, 10), new("o2", (long)(6.5 * Day), 20)];
        var options = new AttributionOptions { Lookback = TimeSpan.FromDays(30) };
        var with = new JourneyAttributor(options, Models).Attribute(touches, conversions, 3 * Day);
        var without = new JourneyAttributor(options, Models, withPaths: false).Attribute(touches, conversions, 3 * Day);

        Assert.Equal(3, with.Paths.Count);
        Assert.Empty(without.Paths);
        Assert.Equal(with.Conversions.Select(c => (c.PathText, string.Join(",", c.Credits))), without.Conversions.Select(c => (c.PathText, string.Join(",", c.Credits))));
    }

    [Fact]
    public void Touches_count_for_every_later_conversion_in_their_window_and_the_tail_is_a_null_path()
    {
        var result = Attributor().Attribute(
            [T("A", 1), T("B", 3), T("C", 6), T("D", 7)],
            [new JourneyConversion("o1", 2 * Day, 10), new JourneyConversion("o2", 5 * Day, 20)], null);

        Assert.Equal(["A"], result.Conversions[0].KeptChannels);
        Assert.Equal(["A", "B"], result.Conversions[1].KeptChannels);
        var paths = result.Paths.ToDictionary(p => p.ToString());
        Assert.Equal((1, 10, 0), (paths["A"].Conversions, paths["A"].Value, paths["A"].Nulls));
        Assert.Equal((1, 20, 0), (paths["A > B"].Conversions, paths["A > B"].Value, paths["A > B"].Nulls));
        Assert.Equal((0, 0, 1), (paths["C > D"].Conversions, paths["C > D"].Value, paths["C > D"].Nulls));
    }

    [Fact]
    public void A_person_who_never_converts_gives_one_null_path_and_no_conversion()
    {
        var result = Attributor().Attribute([T("A", 1), T("A", 2)], [], null);
        Assert.Empty(result.Conversions);
        var path = Assert.Single(result.Paths);
        Assert.Equal(("A > A", 0.0, 1.0), (path.ToString(), path.Conversions, path.Nulls));
    }

    [Theory]
    [InlineData(2.5, new[] { 0.3, 0.3, 0.1, 0.3 })] // identified during the visit of touch 1
    [InlineData(1.0, new[] { 0.6, 0.05, 0.05, 0.3 })] // on the first touch: first + lead = 60 %, 10 % over the middle two
    [InlineData(0.5, new[] { 3.0 / 7, 1.0 / 14, 1.0 / 14, 3.0 / 7 })] // before any touch: no lead, 30/5/5/30 normalised
    public void The_lead_touch_is_the_last_touch_at_or_before_the_first_identify(double leadDay, double[] expected)
    {
        var result = Attributor().Attribute([T("A", 1), T("B", 2), T("C", 3), T("D", 4)], [new JourneyConversion("o1", 5 * Day, 1)], (long)(leadDay * Day));

        var credits = result.Conversions[0].Credits.Where(c => c.Model == "w_shaped").OrderBy(c => c.TouchIndex).Select(c => c.Credit).ToArray();
        Assert.Equal(expected.Length, credits.Length);
        for (var i = 0; i < expected.Length; i++) { Assert.Equal(expected[i], credits[i], 12); }
    }

    [Fact]
    public void Paid_clicks_first_keeps_only_paid_and_unowned_touches_when_a_paid_one_exists()
    {
        var result = Attributor(paidFirst: true).Attribute(
            [T("Direct", 1, TouchFlags.Direct), T("Paid Search", 2, TouchFlags.Paid), T("Referral", 3), T("Email", 4, TouchFlags.Email)],
            [new JourneyConversion("o1", 5 * Day, 1)], null);

        var conversion = result.Conversions[0];
        Assert.Equal(["Paid Search", "Referral"], conversion.KeptChannels);
        Assert.Equal([1, 2], conversion.Credits.Where(c => c.Model == "linear").Select(c => c.TouchIndex));
        Assert.Equal("Paid Search > Referral", Assert.Single(result.Paths).ToString());
    }

    [Fact]
    public void A_conversion_without_touches_is_unattributed_and_left_out_of_the_model_paths()
    {
        var result = Attributor().Attribute([], [new JourneyConversion("o1", Day, 5)], null);
        var conversion = Assert.Single(result.Conversions);
        Assert.Empty(conversion.Credits);
        Assert.Equal(JourneyAttributor.NoPath, conversion.PathText);
        Assert.Empty(result.Paths);
    }

    [Fact]
    public void A_conversion_without_credit_says_why()
    {
        var conversion = new JourneyConversion("o1", 10 * Day, 1);
        Assert.Equal(MissReasons.NoVisit, Attributor().Attribute([], [conversion], null).Conversions[0].MissReason);
        Assert.Equal(MissReasons.VisitsOnlyAfter, Attributor().Attribute([T("A", 11)], [conversion], null).Conversions[0].MissReason);
        Assert.Equal(MissReasons.OutsideLookback, Attributor(lookbackDays: 7).Attribute([T("A", 1), T("B", 12)], [conversion], null).Conversions[0].MissReason);
        Assert.Null(Attributor(lookbackDays: 7).Attribute([T("A", 5)], [conversion], null).Conversions[0].MissReason);
    }

    [Fact]
    public void A_path_keeps_only_its_most_recent_touches_up_to_the_cap()
    {
        var attributor = new JourneyAttributor(new AttributionOptions(), Models, maxPathTouches: 3);
        var result = attributor.Attribute(
            [T("A", 1), T("B", 2), T("C", 3), T("D", 4), T("E", 6), T("F", 7), T("G", 8), T("H", 9)],
            [new JourneyConversion("o1", 5 * Day, 1)], null);

        var conversion = result.Conversions[0];
        Assert.Equal(["B", "C", "D"], conversion.KeptChannels);
        Assert.Equal("B", conversion.Path[conversion.Credits.Single(c => c.Model == "first").TouchIndex].Channel);
        Assert.Contains(result.Paths, p => p.ToString() == "F > G > H" && p.Nulls == 1);
    }

    [Fact]
    public void Touches_out_of_time_order_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Attributor().Attribute([T("A", 2), T("B", 1)], [], null));
    }
}
