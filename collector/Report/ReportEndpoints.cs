using System.Collections.Frozen;
using System.Reflection;

// In the Hosting namespace so Program picks MapReport up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// <c>GET /report</c>: the shop dashboard (HTML, scripts, stylesheet, icon) served from embedded resources,
/// so it needs no build step and no files next to the binary. The page holds no data and needs no
/// auth; its script reads the read token from the URL fragment (never sent to the server) and calls
/// the <c>/v1/metrics/*</c>, <c>/v1/orders</c> and <c>/v1/attribution/*</c> APIs with it. A strict CSP allows only same-origin script and style, so
/// even if attacker-controlled UTM values reached the DOM as markup they could not run.
/// </summary>
internal static class ReportEndpoints
{
    /// <summary>Same-origin only, no inline script or style, no framing (clickjacking), no plug-ins.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ResourcePrefix = "OmniTrackIQ.Collector.Report.";

    /// <summary>Route → (resource name, content type); loaded once, the files are a few KiB each.</summary>
    private static readonly FrozenDictionary<string, ReportAsset> Assets = new Dictionary<string, ReportAsset>(StringComparer.Ordinal)
    {
        ["/report"] = Load("report.html", "text/html; charset=utf-8"),
        ["/report/report.js"] = Load("report.js", "text/javascript; charset=utf-8"),
        ["/report/charts.js"] = Load("charts.js", "text/javascript; charset=utf-8"),
        ["/report/tables.js"] = Load("tables.js", "text/javascript; charset=utf-8"),
        ["/report/report.css"] = Load("report.css", "text/css; charset=utf-8"),
        ["/report/favicon.svg"] = Load("favicon.svg", "image/svg+xml"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Maps <c>GET /report</c> and its static assets under <c>/report/</c>.</summary>
    public static IEndpointRouteBuilder MapReport(this IEndpointRouteBuilder app)
    {
        foreach (var (route, asset) in Assets)
        {
            app.MapGet(route, (HttpContext context) =>
            {
                var headers = context.Response.Headers;
                headers.CacheControl = "no-store";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                headers.XFrameOptions = "DENY";
                return TypedResults.Bytes(asset.Content, asset.ContentType);
            })
                .WithTags("Report").WithSummary(route == "/report" ? "The shop dashboard page (asks for a read token)" : "A static asset of the report page")
                .Produces(StatusCodes.Status200OK, typeof(byte[]), asset.ContentType.Split(';')[0]);
        }

        return app;
    }

    private static ReportAsset Load(string file, string contentType)
    {
        using var stream = typeof(ReportEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"embedded resource {ResourcePrefix}{file} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        return new ReportAsset(content, contentType);
    }

    private sealed record ReportAsset(byte[] Content, string ContentType);
}
