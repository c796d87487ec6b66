using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;

namespace OmniTrackIQ.Collector.RateLimits;

/// <summary>
/// Per-workspace rate limits as endpoint filters, each after the filter that authenticates its credential: a refused
/// request is answered 429 + Retry-After before anything more of it is read or parsed.
/// </summary>
internal static class RateLimitFilters
{
    /// <summary>The secret-key routes' budget, one permit a request (after <see cref="WorkspaceAuth.RequireSecretKey"/>).</summary>
    public static RouteHandlerBuilder LimitSecretKeyRequests(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(static (context, next) =>
        {
            var http = context.HttpContext;
            var rate = http.RequestServices.GetRequiredService<WorkspaceRateLimiter>().TryAcquire(http.Workspace(), RateLimitedKey.SecretKey, 1);
            return rate.Allowed ? next(context) : ValueTask.FromResult<object?>(Problems.RateLimited(rate.RetryAfterSeconds, http, RateLimitedKey.SecretKey));
        });
}

/// <summary>
/// The event routes' write-key budget, counted in elements, valid or not, after authentication (one workspace's flood
/// never spends another's budget) and before the events are parsed (a refused batch costs nothing more): rejected events
/// and unreadable bodies cost the sender as much as accepted events. The limiter counts what it refuses, per workspace.
/// </summary>
internal sealed class WriteKeyRateFilter(WorkspaceRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = EventRequest.Of(http);
        return await limiter.TryAcquireAsync(request.Workspace, RateLimitedKey.WriteKey, request.Envelope.Cost) is { Allowed: false } rate
            ? Problems.RateLimited(rate.RetryAfterSeconds, http)
            : await next(context);
    }
}
