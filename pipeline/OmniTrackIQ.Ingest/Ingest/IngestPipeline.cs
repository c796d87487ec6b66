using System.Threading.Channels;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Privacy;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// The one path from parsed events to the spool, whatever route they came in on (<see cref="IngestRoute"/>): stamp
/// the server's facts, enrich, hash e-mails and phones, make durable, then count and keep what was refused
/// (IngestPipeline.Refusals.cs). Routes parse and authenticate; everything after is here, so a refusal, a
/// <c>bad_events</c> row, a metric or a full spool means the same on every route.
/// </summary>
/// <param name="enrichers">Run in this order on every event; empty only to measure their cost (bench/RESULTS.md).</param>
/// <param name="durableIds">The ids other nodes already made durable (Redis across nodes); none by default.</param>
public sealed partial class IngestPipeline(IEnumerable<IEventEnricher> enrichers, SpoolWriter spool, SpoolOptions spoolOptions, BadEventQueue badEvents,
    CollectorMetrics metrics, TimeProvider time, IDurableMessageIds? durableIds = null)
{
    private readonly IEventEnricher[] _enrichers = [.. enrichers];
    private readonly IDurableMessageIds _durableIds = durableIds ?? NoDurableMessageIds.Instance;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Asked before a route reads a body: over its limit the spool takes nothing until the sink catches up. True is
    /// counted as a spool-full refusal; the route answers 503 with <paramref name="retryAfterSeconds"/>.
    /// </summary>
    public bool IsFull(out int retryAfterSeconds)
    {
        retryAfterSeconds = spoolOptions.RetryAfterSeconds;
        if (spool.HasRoom) { return false; }
        metrics.SpoolFull();
        return true;
    }

    /// <summary>
    /// Stamps, enriches and spools the batch's events (an item an enricher refuses leaves the batch whole), then keeps
    /// its refusals. Once this returns an answer, the accepted items are durable (a pixel hit: queued for the next
    /// group commit). Without one the spool could not take them: nothing is kept, the client sends it all again.
    /// Events some node already made durable (<see cref="IDurableMessageIds"/>) are answered as accepted, as the store's
    /// dedup would answer them, without being spooled again.
    /// </summary>
    public async ValueTask<IngestOutcome> AcceptAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var accepted = Prepare(batch);
        if (batch.Route == IngestRoute.Pixel) { return new IngestOutcome(await SpoolHitAsync(batch, accepted, cancellationToken), 0); }

        var workspace = batch.Sender.Workspace.Id;
        var skipped = await SkipDurableAsync(workspace, batch.Events, cancellationToken);
        try
        {
            await SpoolAsync(batch.Events, waitForDisk: true, cancellationToken);
        }
        catch (Exception ex) when (ex is SpoolUnavailableException or ChannelClosedException)
        {
            metrics.SpoolFull();
            return new IngestOutcome(null, spoolOptions.RetryAfterSeconds);
        }

        // Marked only now, after the fsync: a mark set before it would let a node that dies in between (kill -9) make
        // the other nodes skip the client's retry of events that were never durable anywhere.
        if (batch.Events.Count > 0) { await _durableIds.MarkDurableAsync(workspace, batch.Events); }
        if (skipped > 0)
        {
            metrics.EventsAccepted(skipped);
            metrics.DuplicatesSkipped(workspace, skipped);
        }

        // Only now: after a 503 the client sends the batch again, and its refusals with it.
        return new IngestOutcome(Keep(batch, accepted), 0);
    }

    /// <summary>The pixel's GIF never waits for the disk and never says 503: a hit the spool cannot take is one more refusal.</summary>
    private async ValueTask<AcceptedResponse> SpoolHitAsync(IngestBatch batch, int accepted, CancellationToken cancellationToken)
    {
        if (batch.Events.Count == 0) { return Keep(batch, accepted); }
        IngestError? unspooled = null;
        if (!spool.HasRoom) { unspooled = new IngestError(503, "$", "spool full", "spool_full"); }
        else
        {
            try
            {
                await SpoolAsync(batch.Events, waitForDisk: false, cancellationToken);
            }
            catch (Exception ex) when (ex is SpoolUnavailableException or ChannelClosedException or OperationCanceledException)
            {
                unspooled = new IngestError(503, "$", "spool unavailable", "spool_full");
            }
        }

        if (unspooled is null) { return Keep(batch, accepted); }
        batch.Rejected.Add(new RejectedEvent(batch.Events[0].BatchIndex, unspooled.Field, unspooled.Reason, unspooled.Detail, HitPayload(batch.Query)));
        batch.Events.Clear();
        return Keep(batch, 0);
    }

    /// <summary>
    /// Takes the events some node already made durable out of <paramref name="events"/>; how many. The pixel never gets
    /// here: its GIF does not wait for the fsync, so there is no moment after durability to mark its hit.
    /// </summary>
    private async ValueTask<int> SkipDurableAsync(string workspace, List<TrackedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0 || await _durableIds.FindDurableAsync(workspace, events, cancellationToken) is not { } durable) { return 0; }
        var kept = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (i >= durable.Length || !durable[i]) { events[kept++] = events[i]; }
        }

        var skipped = events.Count - kept;
        events.RemoveRange(kept, skipped);
        return skipped;
    }

    private async ValueTask SpoolAsync(List<TrackedEvent> events, bool waitForDisk, CancellationToken cancellationToken)
    {
        if (events.Count == 0) { return; }
        await spool.AppendAsync(events, waitForDisk, cancellationToken);
        metrics.EventsAccepted(events.Count);
    }

    /// <summary>
    /// Stamps and enriches every event; an item (the run of events with one <see cref="TrackedEvent.BatchIndex"/>) with
    /// an event an enricher refuses leaves <see cref="IngestBatch.Events"/> whole, and its first refusal is added to
    /// <see cref="IngestBatch.Rejected"/>. Returns the items kept.
    /// </summary>
    private int Prepare(IngestBatch batch)
    {
        var events = batch.Events;
        var kept = 0;
        var items = 0;
        var start = 0;
        while (start < events.Count)
        {
            var index = events[start].BatchIndex;
            var end = start + 1;
            while (end < events.Count && events[end].BatchIndex == index) { end++; }

            IngestError? refusal = null;
            var refused = start;
            for (var i = start; i < end; i++)
            {
                if (Prepare(events[i], batch.Sender, batch.ReceivedAt) is { } error && refusal is null)
                {
                    refusal = error;
                    refused = i;
                }
            }

            if (refusal is null)
            {
                for (var i = start; i < end; i++) { events[kept++] = events[i]; }
                items++;
            }
            else { batch.Rejected.Add(Reject(batch, events[refused], refusal)); }

            start = end;
        }

        events.RemoveRange(kept, events.Count - kept);
        return items;
    }

    /// <summary>One event's server facts, enrichment and hashing; the refusal (its field relative to the event) or null.</summary>
    private IngestError? Prepare(TrackedEvent evt, IngestRequest request, DateTimeOffset receivedAt)
    {
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
        foreach (var enricher in _enrichers)
        {
            var verdict = enricher.Enrich(evt, eventRequest);
            if (verdict.IsRejected) { return IngestError.BadRequest(verdict.RejectedField!, verdict.Reason!, "enrichment_rejected"); }
        }

        // After the enrichers (they read clear values, e.g. campaign values from the URL), before the spool.
        EventScrubber.Scrub(evt);
        return null;
    }
}
