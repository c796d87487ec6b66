using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class ClockSkewTests
{
    private static readonly DateTimeOffset s_received = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_client_clock_two_minutes_fast_is_corrected()
    {
        var sentAt = s_received.AddMinutes(2);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(s_received.AddSeconds(-30), Correct(timestamp, sentAt));
    }

    [Fact]
    public void Without_a_timestamp_the_event_happened_when_received() => Assert.Equal(s_received, Correct(null, s_received.AddHours(1)));

    [Fact]
    public void Without_sent_at_the_timestamp_is_kept()
    {
        var timestamp = s_received.AddMinutes(-5);
        Assert.Equal(timestamp, Correct(timestamp, null));
    }

    [Fact]
    public void A_client_clock_a_day_behind_is_still_corrected()
    {
        var sentAt = s_received.AddHours(-25);
        var timestamp = sentAt.AddMinutes(-1);
        Assert.Equal(s_received.AddMinutes(-1), Correct(timestamp, sentAt));
    }

    [Fact]
    public void A_skew_exactly_at_the_bound_is_corrected()
    {
        var sentAt = s_received - ClockSkew.MaxPlausibleSkew;
        Assert.Equal(s_received.AddSeconds(-5), Correct(sentAt.AddSeconds(-5), sentAt));
    }

    [Fact]
    public void An_old_batch_replayed_months_later_keeps_its_client_times()
    {
        var sentAt = s_received.AddDays(-90);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(timestamp, Correct(timestamp, sentAt));
    }

    [Fact]
    public void A_client_clock_years_ahead_is_not_believed_and_its_time_is_replaced_by_the_received_time()
    {
        var sentAt = s_received.AddYears(3);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(s_received, ClockSkew.Correct(timestamp, sentAt, s_received, out var implausible));
        Assert.True(implausible);
    }

    [Fact]
    public void The_last_second_of_year_9999_with_a_clock_an_hour_behind_is_replaced_not_overflowed()
    {
        var timestamp = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);
        Assert.Equal(s_received, ClockSkew.Correct(timestamp, s_received.AddHours(-1), s_received, out var implausible));
        Assert.True(implausible);
    }

    [Fact]
    public void The_first_instant_of_year_1_with_a_clock_an_hour_ahead_is_replaced_not_overflowed()
    {
        Assert.Equal(s_received, ClockSkew.Correct(DateTimeOffset.MinValue, s_received.AddHours(1), s_received, out var implausible));
        Assert.True(implausible);
    }

    [Theory]
    [InlineData(-26)]
    [InlineData(26)]
    public void The_extremes_of_date_time_with_the_largest_believed_skew_never_throw(int skewHours)
    {
        var sentAt = s_received.AddHours(-skewHours);
        foreach (var timestamp in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(1, 1, 1, 5, 0, 0, TimeSpan.FromHours(5)), new DateTimeOffset(9999, 12, 31, 20, 0, 0, TimeSpan.FromHours(-3)) })
        {
            Assert.Equal(s_received, ClockSkew.Correct(timestamp, sentAt, s_received, out var implausible));
            Assert.True(implausible);
        }
    }

    [Fact]
    public void A_time_inside_the_window_that_correction_moves_before_it_2000_is_replaced()
    {
        var timestamp = new DateTimeOffset(2000, 1, 1, 0, 30, 0, TimeSpan.Zero);
        Assert.Equal(s_received, ClockSkew.Correct(timestamp, s_received.AddHours(1), s_received, out var implausible));
        Assert.True(implausible);
    }

    [Fact]
    public void A_time_too_far_ahead_that_correction_brings_into_the_window_is_kept_corrected()
    {
        var timestamp = s_received + PlausibleTime.MaxAhead + TimeSpan.FromMinutes(30);
        Assert.Equal(s_received + PlausibleTime.MaxAhead - TimeSpan.FromMinutes(30), Correct(timestamp, s_received.AddHours(1)));
    }

    [Fact]
    public void A_corrected_time_is_the_same_instant_given_in_UTC()
    {
        var timestamp = new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.FromHours(2));
        var corrected = Correct(timestamp, s_received.AddMinutes(2));
        Assert.Equal((TimeSpan.Zero, s_received.AddMinutes(-2).UtcTicks), (corrected.Offset, corrected.UtcTicks));
    }

    [Fact]
    public void A_server_clock_at_the_end_of_time_never_makes_a_corrected_time_throw()
    {
        var received = DateTimeOffset.MaxValue.AddHours(-1);
        // Within a day of the server, but an hour of skew carries it past DateTime's last instant.
        var timestamp = new DateTimeOffset(9999, 12, 31, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(received, ClockSkew.Correct(timestamp, received.AddHours(-1), received, out var implausible));
        Assert.True(implausible);
        // The same at +14:00 with no skew is kept as is.
        var local = new DateTimeOffset(9999, 12, 31, 23, 0, 0, TimeSpan.FromHours(14));
        Assert.Equal(local, ClockSkew.Correct(local, null, received, out implausible));
        Assert.False(implausible);
    }

    /// <summary>Correct for a time that must stay plausible: asserts it was not replaced.</summary>
    private static DateTimeOffset Correct(DateTimeOffset? timestamp, DateTimeOffset? sentAt)
    {
        var ts = ClockSkew.Correct(timestamp, sentAt, s_received, out var implausible);
        Assert.False(implausible);
        return ts;
    }
}
