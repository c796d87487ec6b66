using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>The HTTP answer to what the pipeline made of a batch (<see cref="IngestPipeline.AcceptAsync"/>).</summary>
internal static class IngestResults
{
    /// <summary>200 with the items accepted and refused, or 503 + Retry-After when the spool could not take them.</summary>
    public static IResult From(IngestOutcome outcome, HttpContext context) =>
        outcome.Answer is { } answer ? TypedResults.Ok(answer) : Problems.SpoolFull(outcome.RetryAfterSeconds, context);
}
