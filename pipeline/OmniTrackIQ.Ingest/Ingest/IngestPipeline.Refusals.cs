using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Refusals: how each route names and quotes a refused item, and the one place they are counted
/// (<c>otq_events_rejected_total</c>) and kept in <c>bad_events</c>.
/// </summary>
public sealed partial class IngestPipeline
{
    /// <summary>
    /// Roughly how many bytes of refusals one answer lists. A body of tiny invalid elements would otherwise buy an
    /// answer many times its own size; past this the refusals are only counted; each is still kept in <c>bad_events</c>
    /// (within the workspace's budget of rows, <see cref="BadEventQueue"/>).
    /// </summary>
    internal const int MaxAnswerBytes = 4096;

    /// <summary>What one listed refusal costs on the wire besides its strings: the names, quotes and the index.</summary>
    private const int EntryOverheadBytes = 48;

    /// <summary>A request refused whole (415, 413, 401, 403, 400): counted by its reason; nothing readable or no workspace to keep it for.</summary>
    public void RequestRefused(IngestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        metrics.EventsRejected(error.Reason);
    }

    /// <summary>
    /// A pixel hit refused before it became an event (unreadable query, unknown key): counted. Without a known key it is
    /// anyone's request and is never stored; a workspace's keeps only the query string, e-mails and phones hashed
    /// (nothing of the connection: no address, no user agent).
    /// </summary>
    public void RefuseHit(WorkspaceSettings? workspace, IngestError error, string? query, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(error);
        metrics.EventsRejected(error.Reason);
        if (workspace is not null) { badEvents.TryAdd(HitRow(workspace.Id, error.Field, error.Detail, HitPayload(query), receivedAt)); }
    }

    /// <summary>
    /// A signed webhook delivery that cannot become an order: counted, and kept with its payload (PII hashed). The route
    /// answers 200 all the same, or Shopify retries it for hours and then drops the subscription.
    /// </summary>
    public void RefuseDelivery(WorkspaceSettings workspace, string? field, string reason, string detail, ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        metrics.EventsRejected(reason);
        badEvents.TryAdd(new BadEvent(workspace.Id, PiiRedactor.Redact(body), $"{reason}: {detail}", receivedAt, null, field));
    }

    /// <summary>The refusal of <paramref name="evt"/>'s item, named and quoted as its route does.</summary>
    private static RejectedEvent Reject(IngestBatch batch, TrackedEvent evt, IngestError error) => batch.Route switch
    {
        IngestRoute.Batch => BatchParser.Reject(evt.BatchIndex, error with { Field = $"batch[{evt.BatchIndex}].{error.Field}" }, batch.Body.Span[evt.Source]),
        IngestRoute.SingleEvent => BatchParser.Reject(evt.BatchIndex, error, batch.Body.Span[evt.Source]),
        IngestRoute.Pixel => new RejectedEvent(evt.BatchIndex, error.Field, error.Reason, error.Detail, HitPayload(batch.Query)),
        IngestRoute.ConversionApi => new RejectedEvent(evt.BatchIndex, $"orders[{evt.BatchIndex}].{error.Field}", error.Reason, error.Detail, "{\"orderId\":\"" + evt.OrderId + "\"}"),
        IngestRoute.ShopifyWebhook => new RejectedEvent(evt.BatchIndex, $"orders[{evt.BatchIndex}].{error.Field}", error.Reason, error.Detail, PiiRedactor.Redact(batch.Body.Span)),
        _ => throw new ArgumentOutOfRangeException(nameof(batch), batch.Route, "unknown ingest route"),
    };

    /// <summary>A stored pixel hit's answer, made once: it is the same for every hit (issue 16, nothing allocated per hit that need not be).</summary>
    private static readonly AcceptedResponse s_hitAccepted = new(1, []);

    /// <summary>Counts and keeps the batch's refusals as its route does; the answer of <paramref name="accepted"/> items.</summary>
    private AcceptedResponse Keep(IngestBatch batch, int accepted)
    {
        var workspace = batch.Sender.Workspace.Id;
        switch (batch.Route)
        {
            case IngestRoute.Pixel:
                foreach (var r in batch.Rejected)
                {
                    metrics.EventsRejected(r.Reason);
                    badEvents.TryAdd(HitRow(workspace, r.Field, r.Detail, r.Payload, batch.ReceivedAt));
                }

                return accepted == 1 ? s_hitAccepted : new AcceptedResponse(accepted, []);
            case IngestRoute.ShopifyWebhook:
                // Kept, not counted: the delivery is answered 200 and its order simply not stored.
                foreach (var r in batch.Rejected)
                {
                    badEvents.TryAdd(new BadEvent(workspace, r.Payload, $"{r.Reason}: {r.Detail}", batch.ReceivedAt, null, r.Field));
                }

                return new AcceptedResponse(accepted, []);
            default:
                return Answer(accepted, batch.Rejected, workspace, batch.ReceivedAt);
        }
    }

    /// <summary>
    /// The answer: <paramref name="accepted"/> and the refusals in index order, as many as fit in
    /// <see cref="MaxAnswerBytes"/> (a <c>too_many_events</c> summary is always listed); each refusal counted by reason
    /// and kept in <c>bad_events</c>.
    /// </summary>
    private AcceptedResponse Answer(int accepted, List<RejectedEvent> rejected, string workspace, DateTimeOffset receivedAt)
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

    private static string HitPayload(string? query) => PiiText.Scrub(query) ?? "";

    /// <summary>A pixel's row names the field in its reason: the hit has no JSON to point into.</summary>
    private static BadEvent HitRow(string workspace, string field, string detail, string payload, DateTimeOffset receivedAt) =>
        new(workspace, payload, $"{field}: {detail}", receivedAt, null, field);
}
