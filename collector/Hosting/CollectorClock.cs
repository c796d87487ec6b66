using System.Globalization;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// The collector's one source of time. Normally the system clock; with <c>OmniTrack:Clock:StartAt</c>
/// (an ISO-8601 instant) a clock that starts at that instant and then runs at real speed, so timers,
/// batch ages and timeouts behave as usual while every wall-clock reading (receivedAt, skew correction,
/// computedAt, bad-event times) is reproducible. Tests pin it to the instant their payloads were written
/// for, so they pass on any day; nothing else should set it.
/// </summary>
internal sealed class CollectorClock : TimeProvider
{
    public const string StartAtKey = "OmniTrack:Clock:StartAt";

    private readonly DateTimeOffset _startAt;
    private readonly long _startedTimestamp;

    private CollectorClock(DateTimeOffset startAt)
    {
        _startAt = startAt;
        _startedTimestamp = System.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => _startAt + System.GetElapsedTime(_startedTimestamp);

    /// <summary>The configured clock: pinned when <see cref="StartAtKey"/> is set, else <see cref="TimeProvider.System"/>.</summary>
    public static TimeProvider From(IConfiguration configuration)
    {
        var startAt = configuration[StartAtKey];
        if (string.IsNullOrWhiteSpace(startAt)) { return System; }
        if (!DateTimeOffset.TryParse(startAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            throw new InvalidOperationException($"{StartAtKey} must be an ISO-8601 instant such as 2026-11-23T12:00:00Z, not '{startAt}'");
        }

        return new CollectorClock(instant);
    }
}
