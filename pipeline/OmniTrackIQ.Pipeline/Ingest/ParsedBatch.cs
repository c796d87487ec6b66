using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>A batch body after parsing: its write key (if in the body), client send time and events.</summary>
public sealed class ParsedBatch
{
    public string? WriteKey { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public List<TrackedEvent> Events { get; } = [];
}
