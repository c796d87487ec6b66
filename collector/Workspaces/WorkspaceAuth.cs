using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Workspaces;

/// <summary>
/// Authentication as endpoint filters: a route declares its credential (<c>.RequireReadToken()</c>,
/// <c>.RequireSecretKey()</c>), the filter refuses the request before the handler runs (401/403 problem), and the
/// handler reads the resolved workspace with <see cref="Workspace"/>. The OpenAPI document gets the same scheme.
/// </summary>
internal static class WorkspaceAuth
{
    private static readonly object s_workspaceKey = new();

    /// <summary>The read token, then its rate limit (<see cref="WorkspaceSettings.ReadTokenRequestsPerSecond"/>): 401/403, then 429 + Retry-After.</summary>
    public static RouteHandlerBuilder RequireReadToken(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter((context, next) => Authenticate(context, next, ReadAuthenticate)).RequiresReadToken();

    public static RouteHandlerBuilder RequireSecretKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter((context, next) => Authenticate(context, next, SecretKeyAuth.Authenticate)).RequiresSecretKey();

    /// <summary>The workspace the route's filter authenticated.</summary>
    public static WorkspaceSettings Workspace(this HttpContext context) =>
        context.Items[s_workspaceKey] as WorkspaceSettings ?? throw new InvalidOperationException("this route has no RequireReadToken/RequireSecretKey filter");

    private delegate WorkspaceSettings? Authenticator(HttpContext context, WorkspaceRegistry workspaces, out IResult? problem);

    private static WorkspaceSettings? ReadAuthenticate(HttpContext context, WorkspaceRegistry workspaces, out IResult? problem)
    {
        var workspace = Stats.ReadAuth.Authenticate(context, workspaces, out problem);
        if (workspace is null) { return null; }

        // Authenticated, so the header holds a configured token: its bucket exists (unless its limit is 0).
        var limiter = context.RequestServices.GetRequiredService<RateLimits.WorkspaceRateLimiter>();
        var rate = limiter.TryAcquireReadToken(workspace, WorkspaceRegistry.Sha256Hex(Stats.ReadAuth.BearerToken(context)!));
        if (rate.Allowed) { return workspace; }
        context.Response.Headers.RetryAfter = rate.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        problem = Ingest.Problems.From(new Pipeline.Ingest.IngestError(429, "Authorization",
            $"this read token's rate limit for requests is reached; retry after {rate.RetryAfterSeconds} s", "rate_limited"));
        return null;
    }

    private static async ValueTask<object?> Authenticate(EndpointFilterInvocationContext context, EndpointFilterDelegate next, Authenticator authenticate)
    {
        var http = context.HttpContext;
        var workspace = authenticate(http, http.RequestServices.GetRequiredService<WorkspaceRegistry>(), out var problem);
        if (workspace is null) { return problem; }
        http.Items[s_workspaceKey] = workspace;
        return await next(context);
    }
}
