using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Stats;

/// <summary>
/// <c>GET /v1/events/stats</c> (stored event counts by type and channel), <c>GET /v1/events</c> and
/// <c>GET /v1/events/bad</c> (the last events and rejections, as stored): for the read token's workspace only.
/// </summary>
internal static class StatsEndpoints
{
    private const int MaxListed = 1000;

    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events", async (HttpContext context, IEventBrowser browser, CancellationToken cancellationToken) =>
        {
            if (Limit(context, out var limit) is { } limitProblem) { return limitProblem; }
            return TypedResults.Ok(new RecentEvents(await browser.RecentEventsAsync(context.Workspace().Id, limit, cancellationToken)));
        })
            .WithTags("Analytics").WithSummary("The workspace's last stored events, oldest first, as stored (to check what a client's events became)")
            .Produces<RecentEvents>().ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();
        app.MapGet("/v1/events/bad", async (HttpContext context, IEventBrowser browser, CancellationToken cancellationToken) =>
        {
            if (Limit(context, out var limit) is { } limitProblem) { return limitProblem; }
            return TypedResults.Ok(new RecentBadEvents(await browser.RecentBadEventsAsync(context.Workspace().Id, limit, cancellationToken)));
        })
            .WithTags("Analytics").WithSummary("The workspace's last rejections (bad_events), with index, field, reason and payload")
            .Produces<RecentBadEvents>().ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();
        app.MapGet("/v1/events/stats", async (HttpContext context, IEventStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.GetStatsAsync(context.Workspace().Id, cancellationToken)))
            .WithTags("Analytics").WithSummary("Stored events of the token's workspace by type and channel")
            .Produces<EventStats>().RequireReadToken();
        return app;
    }

    /// <summary><c>?limit=</c>, 1 to 1000 (default 100).</summary>
    private static IResult? Limit(HttpContext context, out int limit)
    {
        limit = 100;
        var text = context.Request.Query["limit"].ToString();
        if (text.Length == 0) { return null; }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxListed) { return null; }
        return Problems.From(IngestError.BadRequest("limit", $"must be a whole number from 1 to {MaxListed}", "invalid_limit"));
    }
}

/// <summary>Body of <c>GET /v1/events</c>.</summary>
public sealed record RecentEvents(IReadOnlyList<StoredEvent> Events);

/// <summary>Body of <c>GET /v1/events/bad</c>.</summary>
public sealed record RecentBadEvents(IReadOnlyList<StoredBadEvent> BadEvents);

/// <summary>Read-token authentication (<c>Authorization: Bearer rt_...</c>) shared by every analyst endpoint.</summary>
public static class ReadAuth
{
    public static WorkspaceSettings? Authenticate(HttpContext context, WorkspaceRegistry workspaces, out IResult? problem)
    {
        problem = null;
        var token = BearerToken(context);
        var workspace = workspaces.ByReadToken(token);
        if (workspace is null)
        {
            problem = Problems.From(new IngestError(401, "Authorization", token is null ? "a read token is required (Authorization: Bearer <token>)" : "unknown read token", "unknown_read_token"));
            return null;
        }

        var asked = context.Request.Query["workspace"].ToString();
        if (asked.Length > 0 && !string.Equals(asked, workspace.Id, StringComparison.Ordinal))
        {
            problem = Problems.From(new IngestError(403, "workspace", "this read token does not grant access to that workspace", "forbidden_workspace"));
            return null;
        }

        return workspace;
    }

    /// <summary>The token of <c>Authorization: Bearer …</c>, or null when the header is missing or of another scheme.</summary>
    public static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }
}
