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

    public static IResult SpoolFull(int retryAfterSeconds, HttpContext context)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return From(new IngestError(503, "$", "the collector's spool is full or unavailable; retry later", "spool_full"));
    }

    private static string Title(int status) => status switch
    {
        400 => "Invalid event data",
        401 => "Unknown or missing key",
        403 => "Forbidden",
        413 => "Payload too large",
        415 => "Unsupported media type",
        503 => "Service unavailable",
        _ => "Request refused",
    };
}
