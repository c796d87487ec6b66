using System.IO.Compression;
using System.Security.Cryptography;

namespace OmniTrackIQ.Collector.Snippet;

/// <summary>
/// Serves the storefront snippet (<c>sdk-js/dist/otq.js</c>, embedded at build): <c>GET /otq.js</c> with a short
/// cache, for the loader tag a merchant pastes once, and <c>GET /v1/otq.{hash}.js</c>, immutable for a year, for
/// pages that pin a version. Script tags load cross-origin without CORS; CORP says any site may embed it.
/// </summary>
internal static class SnippetEndpoints
{
    private const string ResourceName = "otq.js";

    public static IEndpointRouteBuilder MapSnippet(this IEndpointRouteBuilder app)
    {
        var snippet = Load();
        app.MapGet("/otq.js", (HttpContext context) => Serve(context, snippet, "public, max-age=300"))
            .WithTags("Snippet").WithSummary("The storefront snippet (short cache); X-OTQ-Versioned-Url names its immutable copy");
        app.MapGet("/v1/otq.{hash}.js", (string hash, HttpContext context) =>
                snippet is not null && string.Equals(hash, snippet.Hash, StringComparison.Ordinal)
                    ? Serve(context, snippet, "public, max-age=31536000, immutable")
                    : Results.NotFound())
            .WithTags("Snippet").WithSummary("One version of the snippet, by content hash (cached for a year)");
        return app;
    }

    private static IResult Serve(HttpContext context, Snippet? snippet, string cacheControl)
    {
        if (snippet is null) { return Results.NotFound(); }
        var headers = context.Response.Headers;
        headers.CacheControl = cacheControl;
        headers.ETag = snippet.ETag;
        headers.Vary = "Accept-Encoding";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        headers["X-OTQ-Versioned-Url"] = $"/v1/otq.{snippet.Hash}.js";
        if (context.Request.Headers.IfNoneMatch == snippet.ETag) { return Results.StatusCode(StatusCodes.Status304NotModified); }

        // Precompressed once: most browsers take gzip, and the snippet's budget is counted gzipped.
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(snippet.Gzipped, "text/javascript; charset=utf-8");
        }

        return Results.Bytes(snippet.Plain, "text/javascript; charset=utf-8");
    }

    /// <summary>The embedded build, or null when the collector was built without one (then both routes are 404).</summary>
    private static Snippet? Load()
    {
        using var stream = typeof(SnippetEndpoints).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) { return null; }
        var plain = new byte[stream.Length];
        stream.ReadExactly(plain);
        var hash = Convert.ToHexStringLower(SHA256.HashData(plain))[..16];
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true)) { gzip.Write(plain); }
        return new Snippet(plain, gzipped.ToArray(), hash, $"\"{hash}\"");
    }

    private sealed record Snippet(byte[] Plain, byte[] Gzipped, string Hash, string ETag);
}
