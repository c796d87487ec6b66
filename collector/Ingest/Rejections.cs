using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>What every route that accepts item by item does with the items it refused: answer, count and keep them.</summary>
internal static class Rejections
{
    /// <summary>
    /// Roughly how many bytes of refusals one answer lists. A body of tiny invalid elements would otherwise buy an
    /// answer many times its own size; past this the refusals are only counted; each is still kept in <c>bad_events</c>
    /// (within the workspace's budget of rows, <see cref="BadEventQueue"/>).
    /// </summary>
    internal const int MaxAnswerBytes = 4096;

    /// <summary>What one listed refusal costs on the wire besides its strings: the names, quotes and the index.</summary>
    private const int EntryOverheadBytes = 48;

    /// <summary>
    /// The answer: <paramref name="accepted"/> and the refusals in index order, as many as fit in
    /// <see cref="MaxAnswerBytes"/> (a <c>too_many_events</c> summary is always listed); each refusal counted by reason
    /// and kept in <c>bad_events</c>. Call only once the accepted items are durable: before that, a 503 makes the
    /// client send them all again.
    /// </summary>
    public static AcceptedResponse Keep(int accepted, List<RejectedEvent> rejected, string workspace, DateTimeOffset receivedAt, CollectorMetrics metrics, BadEventQueue badEvents)
    {
        if (rejected.Count == 0) { return new AcceptedResponse(accepted, []); }
        rejected.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var answer = new List<Rejection>(Math.Min(rejected.Count, 64));
        var bytes = 0;
        var omitted = 0;
        foreach (var r in rejected)
        {
            metrics.EventsRejected(r.Reason);
            badEvents.TryAdd(new BadEvent(workspace, r.Payload, $"{r.Reason}: {r.Detail}", receivedAt, r.Index, r.Field));
            var size = EntryOverheadBytes + r.Field.Length + r.Reason.Length + r.Detail.Length;
            if (bytes + size <= MaxAnswerBytes || r.Reason == "too_many_events")
            {
                answer.Add(new Rejection(r.Index, r.Field, r.Reason, r.Detail));
                bytes += size;
            }
            else
            {
                omitted++;
            }
        }

        return new AcceptedResponse(accepted, answer, omitted);
    }
}
