using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Workspaces;

/// <summary>Secret-key authentication (<c>Authorization: Bearer sk_…</c>) of the server-to-server routes (spend, conversions).</summary>
internal static class SecretKeyAuth
{
    public static WorkspaceSettings? Authenticate(HttpContext context, WorkspaceRegistry workspaces, out IResult? problem)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        var workspace = workspaces.BySecretKey(key);
        problem = workspace is not null ? null : Problems.From(new IngestError(401, "Authorization",
            key is null ? "the workspace's secret key is required (Authorization: Bearer <secret key>)" : "unknown secret key", "unknown_secret_key"));
        return workspace;
    }
}
