using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Orders;

/// <summary>
/// Order reports from servers into the same stages as every event: stamp, enrich (the e-mail and phone are hashed,
/// the landing URL gives UTMs, click ids and a channel), spool durably. The request's own address and User-Agent
/// are the shop's server, never the buyer's, so they are not given to the enrichers.
/// </summary>
internal sealed class OrderIngest(EventIngestor ingestor)
{
    public DateTimeOffset Now => ingestor.Now;

    /// <summary>False while the spool is over its limit: the routes answer 503 + Retry-After before reading a body, as /v1/batch does.</summary>
    public bool HasRoom => ingestor.HasRoom;

    /// <summary>
    /// Spools the reports' events. Spooled is false when the spool could not take them (answer 503); Accepted counts
    /// the reports kept (an enricher may refuse one: a malformed e-mail hash), each refusal added to <paramref name="rejected"/>.
    /// </summary>
    public async Task<(bool Spooled, int Accepted, DateTimeOffset ReceivedAt)> AcceptAsync(IEnumerable<(OrderReport Report, string MessageId)> reports, OrderSource source, WorkspaceSettings workspace,
        List<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        var events = new List<TrackedEvent>();
        var index = 0;
        var receivedAt = ingestor.Now;
        // The field an order's time comes from: Shopify's created_at (processed_at only when an order has none).
        var timeField = source == OrderSource.ShopifyWebhook ? "created_at" : "timestamp";
        foreach (var (reported, messageId) in reports)
        {
            // An order's time is its conversion's ts and orders its reports: one outside the plausible window (year 1,
            // year 9999) is replaced by the received time and flagged, as an event's is, never refused.
            var report = reported;
            string? flag = null;
            if (!PlausibleTime.Contains(report.Timestamp, receivedAt))
            {
                report = report with { Timestamp = receivedAt };
                flag = $"{PlausibleTime.FlagPrefix}orders[{index}].{timeField}";
            }

            foreach (var evt in OrderEvents.From(report, source, messageId))
            {
                evt.BatchIndex = index;
                evt.TimestampField = new FieldPath(-1, $"orders[{index}].{timeField}");
                if (flag is not null) { evt.Flag(flag); }
                BoundUpdatedAt(evt, receivedAt);
                events.Add(evt);
            }

            index++;
        }

        var refused = new List<(TrackedEvent Event, IngestError Error)>();
        ingestor.Prepare(events, new IngestRequest(null, null, false, workspace), receivedAt, refused);
        var refusedOrders = new HashSet<int>();
        foreach (var (evt, error) in refused)
        {
            // A refused order takes its landing view with it: neither is half-stored.
            if (!refusedOrders.Add(evt.BatchIndex)) { continue; }
            rejected.Add(new RejectedEvent(evt.BatchIndex, $"orders[{evt.BatchIndex}].{error.Field}", error.Reason, error.Detail, "{\"orderId\":\"" + evt.OrderId + "\"}"));
        }

        events.RemoveAll(e => refusedOrders.Contains(e.BatchIndex));
        try
        {
            await ingestor.AcceptAsync(events, waitForDisk: true, cancellationToken);
            return (true, index - refusedOrders.Count, receivedAt);
        }
        catch (Exception ex) when (ex is SpoolUnavailableException or System.Threading.Channels.ChannelClosedException)
        {
            return (false, 0, receivedAt);
        }
    }

    /// <summary>
    /// A state time far in the future would rank its report above every later one for good (and one before 2000 is a
    /// broken clock): such a report is ordered by its arrival instead, and flagged.
    /// </summary>
    private static void BoundUpdatedAt(TrackedEvent evt, DateTimeOffset receivedAt)
    {
        if (evt.OrderUpdatedAt is not { } at || PlausibleTime.Contains(at, receivedAt)) { return; }
        evt.OrderUpdatedAt = null;
        evt.Flag("dropped:updatedAt");
    }
}
