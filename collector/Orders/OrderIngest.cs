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
    /// <summary>The earliest state time taken at its word; anything before is no shop's order history.</summary>
    private static readonly DateTimeOffset s_earliestUpdate = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of this server a source's clock may run before its state time is not believed.</summary>
    private static readonly TimeSpan s_maxUpdateLead = TimeSpan.FromDays(1);

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
        var receivedAt = ingestor.Now;
        var events = new List<TrackedEvent>();
        var index = 0;
        foreach (var (report, messageId) in reports)
        {
            foreach (var evt in OrderEvents.From(report, source, messageId))
            {
                evt.BatchIndex = index;
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
        if (evt.OrderUpdatedAt is not { } at || (at >= s_earliestUpdate && at - receivedAt <= s_maxUpdateLead)) { return; }
        evt.OrderUpdatedAt = null;
        evt.Flag("dropped:updatedAt");
    }
}
