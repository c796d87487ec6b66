namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// The times an event or an order may carry once skew-corrected: from <see cref="Earliest"/> to
/// <see cref="MaxAhead"/> after the server received it. Outside it a time is a broken clock, a zeroed field or a
/// hostile value (year 1, year 9999), never a real visit; it would also land in a partition of its own (a month
/// decades away), so it is replaced by the received time and flagged, never refused.
/// </summary>
public static class PlausibleTime
{
    /// <summary>Nothing we track happened before 2000 (web analytics as we know it is younger).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// How far ahead of the server a time may be: a client clock still wrong after skew correction (no sentAt, or a
    /// skew too large to believe) by a time zone or a day, as <see cref="ClockSkew.MaxPlausibleSkew"/> allows.
    /// </summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    /// <summary>The flag an event gets when its time was replaced; the field's path follows the colon.</summary>
    public const string FlagPrefix = "implausible_timestamp:";

    /// <summary>True when <paramref name="time"/> lies in [<see cref="Earliest"/>, <paramref name="receivedAt"/> + <see cref="MaxAhead"/>].</summary>
    public static bool Contains(DateTimeOffset time, DateTimeOffset receivedAt) => ContainsTicks(time.UtcTicks, receivedAt.UtcTicks);

    /// <summary>
    /// The same on UTC ticks, which may lie outside DateTime's range (a corrected time is a sum): both are bounded by
    /// ±2·DateTime.MaxValue.Ticks, so the difference cannot overflow. A plausible time is always a valid DateTime.
    /// </summary>
    public static bool ContainsTicks(long utcTicks, long receivedAtUtcTicks) =>
        utcTicks >= Earliest.UtcTicks && utcTicks - receivedAtUtcTicks <= MaxAhead.Ticks && utcTicks <= DateTime.MaxValue.Ticks;
}
