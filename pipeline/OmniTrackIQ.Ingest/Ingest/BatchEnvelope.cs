namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// The first pass over a body: its write key and send time, and where the context and the events lie. It is all
/// that is read before the write key is checked, so it holds no event and grows with nothing a client controls:
/// only the first <see cref="WireLimits.MaxEventsPerBatch"/> events are located, the rest are only counted.
/// </summary>
public sealed class BatchEnvelope
{
    public string? WriteKey { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    internal Range Context { get; set; }
    internal Range SingleEvent { get; set; }
    internal List<Range> Events { get; } = [];

    /// <summary>Elements past <see cref="WireLimits.MaxEventsPerBatch"/>: never parsed, answered by one summary.</summary>
    public int Overflow { get; internal set; }

    /// <summary>Where the first element past the limit lies, kept (cut) in the summary's <c>bad_events</c> row.</summary>
    internal Range FirstOverflow { get; set; }

    /// <summary>What the rate limiter charges: every element read (accepted or not), plus one for an overflow.</summary>
    public int Cost => Math.Max(1, Events.Count + (Overflow > 0 ? 1 : 0));
}
