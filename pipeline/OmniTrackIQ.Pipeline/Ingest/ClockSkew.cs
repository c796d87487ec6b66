namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Server time of an event: the client timestamp shifted by the client's clock error.</summary>
public static class ClockSkew
{
    /// <summary>
    /// ts = timestamp + (receivedAt - sentAt). Without a timestamp the event happened "now";
    /// without sentAt the skew is unknown and the timestamp is taken as is.
    /// </summary>
    public static DateTimeOffset Correct(DateTimeOffset? timestamp, DateTimeOffset? sentAt, DateTimeOffset receivedAt)
    {
        if (timestamp is not { } ts)
        {
            return receivedAt;
        }

        return sentAt is { } sent ? ts + (receivedAt - sent) : ts;
    }
}
