using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>A request body after parsing: its write key (if in the body), client send time, the valid events and the rejected ones.</summary>
public sealed class ParsedBatch
{
    public string? WriteKey { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public List<TrackedEvent> Events { get; } = [];
    public List<RejectedEvent> Rejected { get; } = [];
}

/// <summary>
/// One event refused on its own (DESIGN "Acceptance"): its position in the batch, the field at fault (JSON path),
/// a machine reason, a human detail, and its JSON (PII hashed) for <c>bad_events</c>.
/// </summary>
public sealed record RejectedEvent(int Index, string Field, string Reason, string Detail, string Payload);
