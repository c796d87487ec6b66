using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class ClockSkewTests
{
    private static readonly DateTimeOffset s_received = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AClientClockTwoMinutesFastIsCorrected()
    {
        var sentAt = s_received.AddMinutes(2);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(s_received.AddSeconds(-30), ClockSkew.Correct(timestamp, sentAt, s_received));
    }

    [Fact]
    public void WithoutATimestampTheEventHappenedWhenReceived() => Assert.Equal(s_received, ClockSkew.Correct(null, s_received.AddHours(1), s_received));

    [Fact]
    public void WithoutSentAtTheTimestampIsKept()
    {
        var timestamp = s_received.AddMinutes(-5);
        Assert.Equal(timestamp, ClockSkew.Correct(timestamp, null, s_received));
    }

    [Fact]
    public void AClientClockADayBehindIsStillCorrected()
    {
        var sentAt = s_received.AddHours(-25);
        var timestamp = sentAt.AddMinutes(-1);
        Assert.Equal(s_received.AddMinutes(-1), ClockSkew.Correct(timestamp, sentAt, s_received));
    }

    [Fact]
    public void ASkewExactlyAtTheBoundIsCorrected()
    {
        var sentAt = s_received - ClockSkew.MaxPlausibleSkew;
        Assert.Equal(s_received.AddSeconds(-5), ClockSkew.Correct(sentAt.AddSeconds(-5), sentAt, s_received));
    }

    [Fact]
    public void AnOldBatchReplayedMonthsLaterKeepsItsClientTimes()
    {
        var sentAt = s_received.AddDays(-90);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(timestamp, ClockSkew.Correct(timestamp, sentAt, s_received));
    }

    [Fact]
    public void AClientClockYearsAheadIsNotBelievedEither()
    {
        var sentAt = s_received.AddYears(3);
        var timestamp = sentAt.AddSeconds(-30);
        Assert.Equal(timestamp, ClockSkew.Correct(timestamp, sentAt, s_received));
    }
}
