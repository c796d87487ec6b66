using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Order reports from servers (<see cref="IngestRoute.ConversionApi"/>, <see cref="IngestRoute.ShopifyWebhook"/>) as a
/// batch for the pipeline: each report's events (<see cref="OrderEvents"/>) are one item. The request's own address and
/// User-Agent are the shop's server, never the buyer's, so the batch gives the enrichers none.
/// </summary>
public static class OrderBatch
{
    /// <param name="rejected">The refusals parsing made; the pipeline adds its own.</param>
    /// <param name="body">The signed payload a refused webhook order is kept with; unused by the conversion API.</param>
    public static IngestBatch From(IngestRoute route, IEnumerable<(OrderReport Report, string MessageId)> reports, WorkspaceSettings workspace,
        DateTimeOffset receivedAt, List<RejectedEvent> rejected, ReadOnlyMemory<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var webhook = route switch
        {
            IngestRoute.ShopifyWebhook => true,
            IngestRoute.ConversionApi => false,
            _ => throw new ArgumentOutOfRangeException(nameof(route), route, "only the conversion API and Shopify webhooks carry orders"),
        };

        var source = webhook ? OrderSource.ShopifyWebhook : OrderSource.ServerToServer;
        // The field an order's time comes from: Shopify's created_at (processed_at only when an order has none).
        var timeField = webhook ? "created_at" : "timestamp";
        var events = new List<TrackedEvent>();
        var index = 0;
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

        return new IngestBatch(route, new IngestRequest(null, null, false, workspace), receivedAt, events, rejected) { Body = body };
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
