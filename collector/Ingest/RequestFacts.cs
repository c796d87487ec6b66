using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>What a browser's HTTP request says about its sender, for the enrichers (<see cref="IngestRequest"/>).</summary>
internal static class RequestFacts
{
    /// <summary>The address (IPv4-mapped addresses unmapped), User-Agent and Sec-GPC of the request, and its workspace.</summary>
    public static IngestRequest Of(HttpContext context, WorkspaceSettings workspace)
    {
        var ip = context.Connection.RemoteIpAddress;
        return new IngestRequest(
            ip is not null && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip,
            context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent[0] : null,
            context.Request.Headers["Sec-GPC"] == "1",
            workspace);
    }
}
