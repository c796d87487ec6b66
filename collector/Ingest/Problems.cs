using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>RFC 7807 problem+json bodies that name the field at fault.</summary>
internal static class Problems
{
    public static IResult From(IngestError error) =>
        TypedResults.Problem(
            title: Title(error.Status),
            detail: $"{error.Field}: {error.Detail}",
            statusCode: error.Status,
            type: "https://omnitrackiq.dev/problems/" + error.Reason.Replace('_', '-'),
            extensions: new Dictionary<string, object?> { ["field"] = error.Field, ["reason"] = error.Reason });

    /// <summary>A request refused whole, counted by its reason (<c>otq_events_rejected_total</c>) as every ingest refusal is.</summary>
    public static IResult Refused(IngestPipeline pipeline, IngestError error)
    {
        pipeline.RequestRefused(error);
        return From(error);
    }

    /// <summary>The one 503 of the ingest routes: the spool is full or cannot write (<see cref="IngestPipeline"/> decides and counts).</summary>
    public static IResult SpoolFull(int retryAfterSeconds, HttpContext context)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return From(new IngestError(503, "$", "the collector's spool is full or unavailable; retry later", "spool_full"));
    }

    /// <summary>503 with <c>Retry-After</c>: the store's start-up step (its migrations) has not finished (<see cref="Health.StoreNotReadyAnswer"/>).</summary>
    public static IResult StoreNotReady(int retryAfterSeconds, string reason, HttpContext context)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return From(new IngestError(503, "store", $"the store is not ready ({reason}); retry later", "store_not_ready"));
    }

    /// <summary>429 with <c>Retry-After</c>: the workspace's write-key (field <c>writeKey</c>) or secret-key (<c>Authorization</c>) budget is spent.</summary>
    public static IResult RateLimited(int retryAfterSeconds, HttpContext context, RateLimits.RateLimitedKey kind = RateLimits.RateLimitedKey.WriteKey)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (field, what) = kind == RateLimits.RateLimitedKey.WriteKey ? ("writeKey", "events") : ("Authorization", "requests");
        return From(new IngestError(429, field, $"the workspace's rate limit for {what} is reached; retry after {retryAfterSeconds} s", "rate_limited"));
    }

    private static string Title(int status) => status switch
    {
        400 => "Invalid event data",
        401 => "Unknown or missing key",
        403 => "Forbidden",
        413 => "Payload too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Request refused",
    };
}
