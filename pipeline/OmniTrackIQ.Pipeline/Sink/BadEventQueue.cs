using System.Collections.Concurrent;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Refused payloads waiting to be written to <c>bad_events</c> with the next batch. Bounded: under a
/// flood of garbage the oldest are not kept (the rejection metric still counts every one).
/// </summary>
public sealed class BadEventQueue
{
    private const int Capacity = 10_000;
    private const int MaxPayloadChars = 4096;
    private readonly ConcurrentQueue<BadEvent> _queue = new();
    private int _count;

    public bool TryAdd(BadEvent badEvent)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var payload = badEvent.Payload.Length > MaxPayloadChars ? badEvent.Payload[..MaxPayloadChars] : badEvent.Payload;
        _queue.Enqueue(badEvent with { Payload = payload });
        return true;
    }

    public List<BadEvent> Drain()
    {
        var items = new List<BadEvent>();
        while (_queue.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            items.Add(item);
        }

        return items;
    }
}
