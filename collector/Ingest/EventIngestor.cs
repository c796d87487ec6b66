using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The stages between a parsed request and the spool: stamp server facts, enrich, hash e-mails and phones, make durable. It takes a
/// request description (<see cref="IngestRequest"/>), never the HttpContext, so any endpoint can feed it.
/// </summary>
public sealed class EventIngestor(IEnumerable<IEventEnricher> enrichers, IngestOptions options, SpoolWriter spool, CollectorMetrics metrics, TimeProvider time)
{
    // Enrichment can be switched off only to measure its cost (bench/RESULTS.md); IPs are then not stored at all.
    private readonly IEventEnricher[] _enrichers = options.Enrich ? enrichers.ToArray() : [];

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Stamps and enriches every event. An event an enricher refuses (e.g. no consent where the workspace needs it)
    /// leaves <paramref name="events"/> and is added to <paramref name="refused"/> with the field, relative to the event.
    /// </summary>
    public void Prepare(List<TrackedEvent> events, in IngestRequest request, DateTimeOffset receivedAt, List<(TrackedEvent Event, IngestError Error)> refused)
    {
        var kept = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i];
            evt.Workspace = request.Workspace.Id;
            evt.ReceivedAt = receivedAt;
            evt.Ts = ClockSkew.Correct(evt.Timestamp, evt.SentAt, receivedAt, out var implausible);
            // Never refused (README "Time"): the event is real, only its clock is not; the client's time stays in client_ts.
            if (implausible) { evt.Flag(PlausibleTime.FlagPrefix + (evt.TimestampField.Name is null ? "timestamp" : evt.TimestampField.ToString())); }
            if (evt.Type == EventType.Conversion)
            {
                // A browser's order report is the least authoritative of an order's sources (README "Orders").
                evt.OrderSource ??= OrderSources.Pixel;
                evt.OrderStatus ??= "paid";
            }

            // context.ip is the visitor's address as a server-side client reports it: geo and anonymisation use it.
            var eventRequest = evt.ContextIp is { } ip ? request with { ClientIp = ip } : request;
            evt.ContextIp = null;
            IngestError? error = null;
            foreach (var enricher in _enrichers)
            {
                var verdict = enricher.Enrich(evt, eventRequest);
                if (verdict.IsRejected)
                {
                    error = IngestError.BadRequest(verdict.RejectedField!, verdict.Reason!, "enrichment_rejected");
                    break;
                }
            }

            if (error is null)
            {
                // After the enrichers (they read clear values, e.g. campaign values from the URL), before the spool.
                EventScrubber.Scrub(evt);
                events[kept++] = evt;
            }
            else { refused.Add((evt, error)); }
        }

        events.RemoveRange(kept, events.Count - kept);
    }

    public async Task AcceptAsync(List<TrackedEvent> events, bool waitForDisk, CancellationToken cancellationToken)
    {
        if (events.Count == 0) { return; }
        await spool.AppendAsync(events, waitForDisk, cancellationToken);
        metrics.EventsAccepted(events.Count);
    }

    public bool HasRoom => spool.HasRoom;

    /// <summary>What the HTTP request says about its sender: address (IPv4-mapped addresses unmapped), User-Agent, Sec-GPC.</summary>
    public static IngestRequest Describe(HttpContext context, WorkspaceSettings workspace)
    {
        var ip = context.Connection.RemoteIpAddress;
        return new IngestRequest(
            ip is not null && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip,
            context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent[0] : null,
            context.Request.Headers["Sec-GPC"] == "1",
            workspace);
    }
}
