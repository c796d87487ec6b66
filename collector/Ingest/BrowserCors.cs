using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// CORS for the browser endpoints only. A preflight cannot say which workspace it is for, so it is
/// answered for the union of allowed origins; the actual request is then checked against its own
/// workspace's list. Server-to-server endpoints never get CORS headers.
/// </summary>
internal static class BrowserCors
{
    public static IApplicationBuilder UseBrowserCors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var browserEndpoint = SegmentRoutes.IsBrowserPath(path);
        var origin = context.Request.Headers.Origin.ToString();
        if (!browserEndpoint || origin.Length == 0)
        {
            await next(context);
            return;
        }

        var registry = context.RequestServices.GetRequiredService<WorkspaceRegistry>();
        var known = registry.AllOrigins.Contains(origin);
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            if (known)
            {
                SetHeaders(context, origin);
                context.Response.Headers.AccessControlAllowMethods = "POST, GET, OPTIONS";
                // analytics.js sends the write key as Basic auth and counts retries in X-Retry-Count.
                context.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type, X-Retry-Count, X-OTQ-Key, X-Write-Key";
                context.Response.Headers.AccessControlMaxAge = "86400";
            }

            context.Response.StatusCode = known ? StatusCodes.Status204NoContent : StatusCodes.Status403Forbidden;
            return;
        }

        if (known) { SetHeaders(context, origin); }
        await next(context);
    });

    /// <summary>A request from a browser (Origin header) must come from one of its workspace's origins.</summary>
    public static bool AllowsRequest(HttpContext context, WorkspaceSettings workspace)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) { return true; }

        foreach (var allowed in workspace.AllowedOrigins)
        {
            if (string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)) { return true; }
        }

        return false;
    }

    private static void SetHeaders(HttpContext context, string origin)
    {
        context.Response.Headers.AccessControlAllowOrigin = origin;
        // The snippet backs off by Retry-After on 429/503; a cross-origin script can read it only when exposed.
        context.Response.Headers.AccessControlExposeHeaders = "Retry-After";
        context.Response.Headers.Vary = "Origin";
    }
}
