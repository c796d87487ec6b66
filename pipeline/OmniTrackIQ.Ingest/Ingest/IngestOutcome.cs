namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// What <see cref="IngestPipeline.AcceptAsync"/> made of a batch: the answer (items now durable, refusals listed), or
/// none when the spool could not take it, with the <c>Retry-After</c> the route sends with its 503.
/// </summary>
public readonly record struct IngestOutcome(AcceptedResponse? Answer, int RetryAfterSeconds)
{
    /// <summary>Nothing was spooled and nothing refused was kept: the client sends it all again.</summary>
    public bool SpoolUnavailable => Answer is null;
}
