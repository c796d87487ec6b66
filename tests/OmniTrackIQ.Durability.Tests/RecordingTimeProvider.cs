using Microsoft.Extensions.Time.Testing;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>A FakeTimeProvider that remembers the due time of every timer asked for (Task.Delay on it asks for one).</summary>
internal sealed class RecordingTimeProvider() : FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero))
{
    private readonly List<TimeSpan> _dueTimes = [];

    public List<TimeSpan> DueTimes { get { lock (_dueTimes) { return [.. _dueTimes]; } } }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_dueTimes) { _dueTimes.Add(dueTime); }
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
