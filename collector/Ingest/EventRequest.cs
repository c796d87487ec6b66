using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// One request to an event route as the route group's filters resolve it, in order: the body
/// (<see cref="EventBodyFilter"/>), then its envelope and workspace (<see cref="WriteKeyFilter"/>). The filters after
/// them and the handler read it from the request's features.
/// </summary>
internal sealed class EventRequest(EventType? single, ReadOnlyMemory<byte> body)
{
    private BatchEnvelope? _envelope;
    private WorkspaceSettings? _workspace;

    /// <summary>The type of a single-event route's body (<c>/v1/track</c>, …); null for a batch.</summary>
    public EventType? Single { get; } = single;

    /// <summary>The body, in a pooled buffer that the body filter returns once the handler is done.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    public BatchEnvelope Envelope => _envelope ?? throw NotAuthenticated();

    /// <summary>Why the envelope is unusable, answered only after authentication and the rate limit (an unknown key learns nothing).</summary>
    public IngestError? EnvelopeError { get; private set; }

    public WorkspaceSettings Workspace => _workspace ?? throw NotAuthenticated();

    public void Authenticated(BatchEnvelope envelope, IngestError? envelopeError, WorkspaceSettings workspace)
    {
        _envelope = envelope;
        EnvelopeError = envelopeError;
        _workspace = workspace;
    }

    public static EventRequest Of(HttpContext context) =>
        context.Features.Get<EventRequest>() ?? throw new InvalidOperationException("this route is not in the event route group (EventBodyFilter)");

    private static InvalidOperationException NotAuthenticated() => new("the event route group has no WriteKeyFilter before this filter");
}

/// <summary>Endpoint metadata of an event route: the type of its single-event body, null for a batch.</summary>
internal sealed record EventRoute(EventType? Single);
