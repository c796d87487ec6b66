using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>Every edge of the window [2000-01-01, receivedAt + 1 day], in ticks and with offsets.</summary>
public sealed class PlausibleTimeTests
{
    private static readonly DateTimeOffset s_received = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<DateTimeOffset, bool> Times => new()
    {
        { s_received, true },
        { s_received.AddYears(-5), true },
        { s_earliest, true },
        { s_earliest.AddTicks(-1), false },
        { s_received.AddDays(1), true },
        { s_received.AddDays(1).AddTicks(1), false },
        { s_received.AddYears(1), false },
        { DateTimeOffset.MinValue, false },
        { DateTimeOffset.MaxValue, false },
        { new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), false },
        { new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), false },
        { new DateTimeOffset(1999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), false },
        { new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), false },
        // The instant decides, not the clock reading: 00:30 at +01:00 is still 1999 in UTC, 23:30 at -01:00 is 2000.
        { new DateTimeOffset(2000, 1, 1, 0, 30, 0, TimeSpan.FromHours(1)), false },
        { new DateTimeOffset(1999, 12, 31, 23, 30, 0, TimeSpan.FromHours(-1)), true },
        // receivedAt + 1 day read at +14:00 (the clock shows 2026-11-25 02:00) is the bound itself.
        { new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.FromHours(14)), true },
        { new DateTimeOffset(2026, 11, 25, 2, 0, 1, TimeSpan.FromHours(14)), false },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void A_time_is_plausible_exactly_inside_the_window(DateTimeOffset time, bool plausible)
    {
        Assert.Equal(plausible, PlausibleTime.Contains(time, s_received));
        Assert.Equal(plausible, PlausibleTime.ContainsTicks(time.UtcTicks, s_received.UtcTicks));
    }

    [Theory]
    [InlineData(long.MinValue / 4)]
    [InlineData(-1)]
    [InlineData(0)]
    public void Ticks_before_date_times_range_are_not_plausible(long ticks) => Assert.False(PlausibleTime.ContainsTicks(ticks, s_received.UtcTicks));

    [Theory]
    [InlineData(1)]
    [InlineData(864_000_000_000)]
    public void Ticks_past_date_times_range_are_not_plausible_even_for_the_latest_server_time(long beyond) =>
        Assert.False(PlausibleTime.ContainsTicks(DateTime.MaxValue.Ticks + beyond, DateTime.MaxValue.Ticks));

    [Fact]
    public void The_received_time_itself_is_always_plausible_from_2000_on()
    {
        Assert.True(PlausibleTime.Contains(s_earliest, s_earliest));
        Assert.True(PlausibleTime.Contains(DateTimeOffset.MaxValue, DateTimeOffset.MaxValue));
        Assert.False(PlausibleTime.Contains(s_earliest.AddTicks(-1), s_earliest.AddTicks(-1)));
    }

    [Fact]
    public void The_window_is_the_documented_one()
    {
        Assert.Equal(s_earliest, PlausibleTime.Earliest);
        Assert.Equal(TimeSpan.FromDays(1), PlausibleTime.MaxAhead);
    }
}
