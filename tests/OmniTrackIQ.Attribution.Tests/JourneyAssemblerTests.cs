using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>The visit rule, touch flags and per-person grouping every store's journey stream goes through.</summary>
public sealed class JourneyAssemblerTests
{
    private const long Minute = 60_000;

    private static JourneyEvent Page(string person, long minute, string channel = "Paid Search", string? source = "google", string? medium = "cpc", string? campaign = "c1") =>
        new(person, false, minute * Minute, channel, source, medium, campaign, null, 0, null);

    private static JourneyEvent Order(string person, long minute, string id, double revenue) =>
        new(person, true, minute * Minute, "Direct", null, null, null, id, revenue, "EUR");

    private static List<PersonJourney> Assemble(IReadOnlyDictionary<string, long>? lead = null, params JourneyEvent[] events) =>
        [.. JourneyAssembler.Assemble(events, lead ?? new Dictionary<string, long>())];

    [Fact]
    public void Pages_of_one_source_within_30_minutes_of_the_previous_page_are_one_touch()
    {
        // Each page is within 30 minutes of the one before, so a visit of 80 minutes is still one touch.
        var journey = Assert.Single(Assemble(null, Page("a:1", 0), Page("a:1", 25), Page("a:1", 50), Page("a:1", 80)));
        Assert.Equal([0L], journey.Touches.Select(t => t.TimestampMs / Minute));
    }

    [Fact]
    public void A_gap_of_over_30_minutes_starts_a_new_touch_and_exactly_30_does_not()
    {
        var journey = Assert.Single(Assemble(null, Page("a:1", 0), Page("a:1", 30), Page("a:1", 61)));
        Assert.Equal([0L, 61L], journey.Touches.Select(t => t.TimestampMs / Minute));
    }

    [Theory]
    [InlineData("Organic Search", "google", "cpc", "c1")]
    [InlineData("Paid Search", "bing", "cpc", "c1")]
    [InlineData("Paid Search", "google", "display", "c1")]
    [InlineData("Paid Search", "google", "cpc", "c2")]
    [InlineData("Paid Search", "google", "cpc", null)]
    public void A_page_from_another_channel_source_medium_or_campaign_is_a_new_touch_at_once(string channel, string? source, string? medium, string? campaign)
    {
        var journey = Assert.Single(Assemble(null, Page("a:1", 0), Page("a:1", 1, channel, source, medium, campaign)));
        Assert.Equal(2, journey.Touches.Count);
        Assert.Equal(channel, journey.Touches[1].Channel);
    }

    [Fact]
    public void A_return_to_the_first_source_after_another_is_a_third_touch()
    {
        var journey = Assert.Single(Assemble(null, Page("a:1", 0), Page("a:1", 1, "Email", "news", "email", null), Page("a:1", 2)));
        Assert.Equal(["Paid Search", "Email", "Paid Search"], journey.Touches.Select(t => t.Channel));
    }

    [Fact]
    public void Conversions_stay_in_order_with_id_revenue_currency_and_do_not_break_a_visit()
    {
        var journey = Assert.Single(Assemble(null, Page("a:1", 0), Order("a:1", 5, "o-1", 40), Page("a:1", 10), Order("a:1", 20, "o-2", 2.5)));
        Assert.Single(journey.Touches);
        Assert.Equal([new JourneyConversion("o-1", 5 * Minute, 40, "EUR"), new JourneyConversion("o-2", 20 * Minute, 2.5, "EUR")], journey.Conversions);
    }

    [Fact]
    public void Each_person_gets_one_journey_and_the_visit_rule_restarts_per_person()
    {
        var journeys = Assemble(new Dictionary<string, long> { ["a:2"] = 7 },
            Page("a:1", 0), Page("a:2", 1), Page("a:2", 2), Order("a:3", 3, "o", 1));
        Assert.Equal(["a:1", "a:2", "a:3"], journeys.Select(j => j.Person));
        Assert.Equal([1, 1, 0], journeys.Select(j => j.Touches.Count));
        Assert.Equal([null, 7L, null], journeys.Select(j => j.LeadTimestampMs));
    }

    [Fact]
    public void No_events_is_no_journey()
    {
        Assert.Empty(Assemble());
        Assert.Null(new JourneyAssembler(new Dictionary<string, long>()).Finish());
    }

    [Theory]
    [InlineData("Direct", TouchFlags.Direct)]
    [InlineData("Paid Search", TouchFlags.Paid)]
    [InlineData("Paid Social", TouchFlags.Paid)]
    [InlineData("Cross-network", TouchFlags.Paid)]
    [InlineData("Organic Search", TouchFlags.Organic)]
    [InlineData("Organic Social", TouchFlags.Organic)]
    [InlineData("Email", TouchFlags.Email)]
    [InlineData("Referral", TouchFlags.None)]
    [InlineData("Affiliates", TouchFlags.None)]
    public void Touch_flags_come_from_the_channel(string channel, TouchFlags flags)
    {
        Assert.Equal(flags, ChannelFlags.Of(channel));
        Assert.Equal(flags, Assert.Single(Assert.Single(Assemble(null, Page("a:1", 0, channel))).Touches).Flags);
    }
}
