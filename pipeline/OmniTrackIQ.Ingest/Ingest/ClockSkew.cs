namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Server time of an event: the client timestamp shifted by the client's clock error.</summary>
public static class ClockSkew
{
    /// <summary>
    /// The largest client clock error we correct. A device set to the wrong time zone or day is off by at most
    /// ~26 hours (UTC−12 to UTC+14); anything further is far more often a batch sent again long after it was
    /// built (a replayed offline queue, a re-posted export) than a clock that is wrong by days, and "correcting"
    /// it would move every event of the batch to the replay's date.
    /// </summary>
    public static readonly TimeSpan MaxPlausibleSkew = TimeSpan.FromHours(26);

    /// <summary>
    /// ts = timestamp + (receivedAt - sentAt). Without a timestamp the event happened "now"; without sentAt
    /// the skew is unknown, and with a skew over <see cref="MaxPlausibleSkew"/> it is not believed: in both
    /// cases the timestamp is taken as is. A result outside <see cref="PlausibleTime"/> (year 1, year 9999, or a
    /// sum past DateTime's range) is replaced by <paramref name="receivedAt"/> and <paramref name="implausible"/> set.
    /// </summary>
    public static DateTimeOffset Correct(DateTimeOffset? timestamp, DateTimeOffset? sentAt, DateTimeOffset receivedAt, out bool implausible)
    {
        implausible = false;
        if (timestamp is not { } ts)
        {
            return receivedAt;
        }

        // On ticks, never DateTimeOffset + TimeSpan: 9999-12-31 plus an hour of skew would throw (a 500 for the batch).
        var skew = 0L;
        if (sentAt is { } sent)
        {
            var measured = receivedAt.UtcTicks - sent.UtcTicks;
            if (Math.Abs(measured) <= MaxPlausibleSkew.Ticks) { skew = measured; }
        }

        if (!PlausibleTime.ContainsTicks(ts.UtcTicks + skew, receivedAt.UtcTicks))
        {
            implausible = true;
            return receivedAt;
        }

        // A corrected time is given in UTC: the client's offset could put its clock reading past DateTime's range.
        return skew == 0 ? ts : new DateTimeOffset(ts.UtcTicks + skew, TimeSpan.Zero);
    }
}
