using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>What every route that accepts item by item does with the items it refused: answer, count and keep them.</summary>
internal static class Rejections
{
    /// <summary>
    /// The answer's <c>rejected</c> list, in index order; each refusal counted by reason and kept in <c>bad_events</c>.
    /// Call only once the accepted items are durable: before that, a 503 makes the client send them all again.
    /// </summary>
    public static Rejection[] Keep(List<RejectedEvent> rejected, string workspace, DateTimeOffset receivedAt, CollectorMetrics metrics, BadEventQueue badEvents)
    {
        if (rejected.Count == 0) { return []; }
        rejected.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        var answer = new Rejection[rejected.Count];
        for (var i = 0; i < rejected.Count; i++)
        {
            var r = rejected[i];
            answer[i] = new Rejection(r.Index, r.Field, r.Reason, r.Detail);
            metrics.EventsRejected(r.Reason);
            badEvents.TryAdd(new BadEvent(workspace, r.Payload, $"{r.Reason}: {r.Detail}", receivedAt, r.Index, r.Field));
        }

        return answer;
    }
}
