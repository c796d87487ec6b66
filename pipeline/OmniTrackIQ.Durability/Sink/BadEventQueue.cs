using System.Collections.Concurrent;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Refused payloads waiting to be written to <c>bad_events</c> with the next batch. Bounded twice: each
/// workspace may add at most <see cref="PerWorkspacePerSecond"/> rows a second (a token bucket on the
/// collector's clock), so one shop's flood of junk cannot crowd out another's, and the queue as a whole
/// holds at most <see cref="Capacity"/>. Rows not kept are counted in <c>otq_bad_events_dropped_total</c>
/// (and the rejection metric still counts every refusal).
/// </summary>
public sealed class BadEventQueue(TimeProvider time, CollectorMetrics metrics, int perWorkspacePerSecond = BadEventQueue.PerWorkspacePerSecond)
{
    public const int PerWorkspacePerSecond = 100;
    private const int Capacity = 10_000;
    private const int MaxPayloadChars = 4096;

    /// <summary>Budget and label of rows without a workspace: unknown write keys, unreadable spool records.</summary>
    public const string NoWorkspace = "(none)";

    /// <summary>Workspace ids come from configuration, but the cap keeps memory bounded whatever a caller passes.</summary>
    private const int MaxBudgets = 1024;
    private const string OverflowBudget = "(other)";

    private readonly ConcurrentQueue<BadEvent> _queue = new();
    private readonly ConcurrentDictionary<string, TokenBucket> _budgets = new(StringComparer.Ordinal);
    private int _count;

    public bool TryAdd(BadEvent badEvent)
    {
        var workspace = badEvent.Workspace ?? NoWorkspace;
        if (!Budget(workspace).TryTake(time.GetTimestamp(), 1, out _))
        {
            metrics.BadEventDropped(workspace);
            return false;
        }

        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            metrics.BadEventDropped(workspace);
            return false;
        }

        var payload = badEvent.Payload.Length > MaxPayloadChars ? badEvent.Payload[..MaxPayloadChars] : badEvent.Payload;
        // Refusals quote what they refused ("unknown type 'jane@example.com'"); payloads are redacted where they are made.
        _queue.Enqueue(badEvent with { Payload = payload, Reason = PiiText.Scrub(badEvent.Reason)! });
        return true;
    }

    /// <summary>
    /// Keeps a row outside the budgets: an event the collector acknowledged and the store then refused (or a row
    /// whose write failed and is put back). It is no flood from outside, it is bounded by the sink's batch, and
    /// dropping it would lose an acknowledged event. It still counts towards <see cref="Capacity"/>, so the junk
    /// <see cref="TryAdd"/> would keep is dropped first while these wait.
    /// </summary>
    public void AddUnbudgeted(BadEvent badEvent)
    {
        Interlocked.Increment(ref _count);
        _queue.Enqueue(badEvent with
        {
            Payload = badEvent.Payload.Length > MaxPayloadChars ? badEvent.Payload[..MaxPayloadChars] : badEvent.Payload,
            Reason = PiiText.Scrub(badEvent.Reason)!,
        });
    }

    /// <summary>Rows wait to be written (the sink writes them even when no event comes to carry them).</summary>
    public bool HasPending => Volatile.Read(ref _count) > 0;

    public List<BadEvent> Drain()
    {
        var items = new List<BadEvent>(Math.Max(0, Volatile.Read(ref _count)));
        while (_queue.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _count);
            items.Add(item);
        }

        return items;
    }

    private TokenBucket Budget(string workspace)
    {
        if (_budgets.TryGetValue(workspace, out var bucket)) { return bucket; }
        var key = _budgets.Count < MaxBudgets ? workspace : OverflowBudget;
        return _budgets.GetOrAdd(key, _ => new TokenBucket(perWorkspacePerSecond, perWorkspacePerSecond, time.TimestampFrequency, time.GetTimestamp()));
    }
}
