using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// The message ids that some ingest node has already made durable: a hint that lets <see cref="IngestPipeline"/> leave
/// a client's retry (sent again through another node behind the balancer) out of the spool. The store's dedup by
/// (workspace, message id) stays the truth for exactly-once; the hint only saves the spool, the sink and the store the
/// copy. Rule for every implementation: an id counts as durable only once <see cref="MarkDurableAsync"/> was called for
/// it, and the pipeline calls that only after the group commit's fsync covered the event. A node that dies between
/// its spool append and the fsync has marked nothing, so the retry is spooled by the next node, never dropped.
/// </summary>
public interface IDurableMessageIds
{
    /// <summary>
    /// Which of <paramref name="events"/> (by index) some node has made durable, or null when none is known (always for
    /// the in-process default; on any doubt, for example a shared store that does not answer in time).
    /// </summary>
    ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="events"/> are durable (called only after the fsync that covered them). Not cancelled
    /// with the request: the mark is for the other nodes, and it is bounded by the store's own timeout.
    /// </summary>
    ValueTask MarkDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events);
}

/// <summary>
/// One node on its own: nothing is skipped before the spool. A copy of an event reaches the store, whose dedup by
/// message id keeps it once; a local memory would only save the spool the retries that come back to the same node.
/// </summary>
public sealed class NoDurableMessageIds : IDurableMessageIds
{
    public static NoDurableMessageIds Instance { get; } = new();

    public ValueTask<bool[]?> FindDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken) => ValueTask.FromResult<bool[]?>(null);

    public ValueTask MarkDurableAsync(string workspace, IReadOnlyList<TrackedEvent> events) => ValueTask.CompletedTask;
}
