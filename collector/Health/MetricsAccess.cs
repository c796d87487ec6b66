using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Health;

/// <summary>Who may scrape <c>/metrics</c> (section <c>OmniTrack:Metrics</c>).</summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "OmniTrack:Metrics";

    /// <summary>
    /// SHA-256 (lower-case hex) of the bearer token a scraper sends (<c>Authorization: Bearer …</c>), as the read
    /// tokens are kept. Set: every scrape needs it, from anywhere. Unset: only this machine may scrape.
    /// </summary>
    [RegularExpression(@"^\s*[0-9a-fA-F]{64}\s*$", ErrorMessage = "OmniTrack:Metrics:TokenSha256 must be a SHA-256 in hex (64 characters)")]
    public string? TokenSha256 { get; set; }

    /// <summary>
    /// An OpenTelemetry collector's OTLP endpoint (e.g. <c>http://otel-collector:4317</c>): set, the same metrics are also
    /// pushed there (the exporter's <c>OTEL_EXPORTER_OTLP_*</c> variables apply). Unset, nothing is pushed.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult($"{Section}:OtlpEndpoint must be an absolute URL such as http://otel-collector:4317", [nameof(OtlpEndpoint)]);
        }
    }
}

/// <summary>
/// The gate in front of <c>/metrics</c>, which names every workspace id and its traffic. A token rather than a
/// management port: one listener keeps the deployment as it is (one port behind the balancer, scrapers that
/// already send bearer tokens), and the loopback default keeps <c>curl localhost:…/metrics</c> working on the box.
/// </summary>
internal static class MetricsAccess
{
    /// <summary>Null when the request may read the metrics, else the 401/403 problem to answer.</summary>
    public static IResult? Refusal(HttpContext context, MetricsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.TokenSha256))
        {
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            if (token is { Length: > 0 } && HashesMatch(WorkspaceRegistry.Sha256Hex(token), options.TokenSha256.Trim().ToLowerInvariant())) { return null; }
            return Problems.From(new IngestError(401, "Authorization",
                token is null ? "a metrics token is required (Authorization: Bearer <token>)" : "unknown metrics token", "unknown_metrics_token"));
        }

        if (IsLocal(context)) { return null; }
        return Problems.From(new IngestError(403, "Authorization",
            "metrics are served to this machine only; set OmniTrack:Metrics:TokenSha256 to scrape from elsewhere", "metrics_local_only"));
    }

    /// <summary>
    /// A loopback peer that no proxy speaks for. No peer address at all is a Unix socket or an in-process host:
    /// local too. A forwarding header from a loopback peer is a proxy on this machine relaying someone else.
    /// </summary>
    private static bool IsLocal(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("Forwarded")) { return false; }
        return context.Connection.RemoteIpAddress is not { } peer || IPAddress.IsLoopback(peer);
    }

    /// <summary>Compares in constant time, so the answer's timing says nothing about how much of the token was right.</summary>
    private static bool HashesMatch(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(a), System.Text.Encoding.ASCII.GetBytes(b));
}
