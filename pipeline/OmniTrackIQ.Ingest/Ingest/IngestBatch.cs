using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// What a route hands to <see cref="IngestPipeline.AcceptAsync"/>: the events it parsed from one request, the
/// refusals parsing already made, who sent them and when. Events of one item share a <see cref="TrackedEvent.BatchIndex"/>
/// and lie next to each other (an order's conversion and its landing view); the pipeline keeps or refuses an item whole.
/// </summary>
public sealed class IngestBatch(IngestRoute route, IngestRequest sender, DateTimeOffset receivedAt, List<TrackedEvent> events, List<RejectedEvent> rejected)
{
    public IngestRoute Route { get; } = route;

    /// <summary>The authenticated workspace and what the request says about its sender (none for a shop's server).</summary>
    public IngestRequest Sender { get; } = sender;

    /// <summary>The server's time of the request: every event's <c>receivedAt</c> and every refusal's time.</summary>
    public DateTimeOffset ReceivedAt { get; } = receivedAt;

    /// <summary>Parsed events; on return from the pipeline, the ones it spooled.</summary>
    public List<TrackedEvent> Events { get; } = events;

    /// <summary>Refused items; the pipeline adds the ones it refuses.</summary>
    public List<RejectedEvent> Rejected { get; } = rejected;

    /// <summary>
    /// The request body: the events' <see cref="TrackedEvent.Source"/> ranges point into it (<see cref="IngestRoute.Batch"/>,
    /// <see cref="IngestRoute.SingleEvent"/>), or it is the signed payload a refusal keeps (<see cref="IngestRoute.ShopifyWebhook"/>).
    /// </summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The pixel's query string, which a refused hit keeps (<see cref="IngestRoute.Pixel"/>).</summary>
    public string? Query { get; init; }
}
