using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>The stages between a parsed request and the spool: stamp server facts, enrich, make durable.</summary>
public sealed class EventIngestor(IEnumerable<IEventEnricher> enrichers, IngestOptions options, SpoolWriter spool, CollectorMetrics metrics, TimeProvider time)
{
    // Enrichment can be switched off only to measure its cost (bench/RESULTS.md); IPs are then not stored at all.
    private readonly IEventEnricher[] _enrichers = options.Enrich ? enrichers.ToArray() : [];

    /// <summary>Stamps and enriches every event; the first refusal refuses the batch (nothing of it is stored).</summary>
    public IngestError? Prepare(List<TrackedEvent> events, WorkspaceSettings workspace, DateTimeOffset? sentAt, HttpContext context)
    {
        var receivedAt = time.GetUtcNow();
        var request = new IngestRequest(
            context.Connection.RemoteIpAddress is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : context.Connection.RemoteIpAddress,
            context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent[0] : null,
            context.Request.Headers["Sec-GPC"] == "1",
            workspace);
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i];
            evt.Workspace = workspace.Id;
            evt.ReceivedAt = receivedAt;
            evt.Ts = ClockSkew.Correct(evt.Timestamp, sentAt, receivedAt);
            foreach (var enricher in _enrichers)
            {
                var verdict = enricher.Enrich(evt, request);
                if (verdict.IsRejected)
                {
                    return IngestError.BadRequest($"batch[{i}].{verdict.RejectedField}", verdict.Reason!, "enrichment_rejected");
                }
            }
        }

        return null;
    }

    public async Task AcceptAsync(List<TrackedEvent> events, bool waitForDisk, CancellationToken cancellationToken)
    {
        await spool.AppendAsync(events, waitForDisk, cancellationToken);
        metrics.EventsAccepted(events.Count);
    }

    public bool HasRoom => spool.HasRoom;
}
