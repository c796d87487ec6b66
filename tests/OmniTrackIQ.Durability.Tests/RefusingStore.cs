using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests;

/// <summary>
/// An event store that refuses, as ClickHouse does, a whole insert holding any of <paramref name="poison"/>
/// (StoreRejectedDataException), and fails the first <paramref name="transientFailures"/> writes as a store that is down.
/// Records every insert it took, so a test can tell "stored once" from "stored twice".
/// </summary>
internal sealed class RefusingStore(IEnumerable<string> poison, int transientFailures = 0) : IEventStore
{
    private readonly HashSet<string> _poison = [.. poison];
    private readonly Lock _lock = new();
    private readonly List<string> _stored = [];
    private readonly List<BadEvent> _badEvents = [];
    private int _remainingFailures = transientFailures;
    private int _attempts;

    public int Attempts { get { lock (_lock) { return _attempts; } } }
    public List<string> Stored { get { lock (_lock) { return [.. _stored]; } } }
    public List<BadEvent> BadEvents { get { lock (_lock) { return [.. _badEvents]; } } }

    public Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _attempts++;
            if (_remainingFailures > 0)
            {
                _remainingFailures--;
                throw new IOException("store down");
            }

            if (events.FirstOrDefault(e => _poison.Contains(e.MessageId)) is { } refused)
            {
                throw new StoreRejectedDataException($"Code: 407. DECIMAL_OVERFLOW in {refused.MessageId}", 407, null);
            }

            _stored.AddRange(events.Select(e => e.MessageId));
            return Task.FromResult(events.Count);
        }
    }

    public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken)
    {
        lock (_lock) { _badEvents.AddRange(badEvents); }
        return Task.CompletedTask;
    }

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken) => throw new NotSupportedException();
}
