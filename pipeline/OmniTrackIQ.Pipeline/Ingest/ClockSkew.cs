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
    /// cases the timestamp is taken as is.
    /// </summary>
    public static DateTimeOffset Correct(DateTimeOffset? timestamp, DateTimeOffset? sentAt, DateTimeOffset receivedAt)
    {
        if (timestamp is not { } ts)
        {
            return receivedAt;
        }

        if (sentAt is not { } sent) { return ts; }
        var skew = receivedAt - sent;
        return skew.Duration() <= MaxPlausibleSkew ? ts + skew : ts;
    }
}
