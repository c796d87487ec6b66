namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// What one collector process runs (<c>--role</c>, or <c>OmniTrack:Role</c>; DESIGN "Roles"):
/// <list type="bullet">
/// <item><c>all</c> (default): everything below in one process;</item>
/// <item><c>ingest</c>: /v1/batch and /p.gif with the spool and the sink writer (with the embedded store the
/// load stage runs in the ingest process: DuckDB lets one process write its file);</item>
/// <item><c>attribute</c>: only the attribution worker (and health/metrics);</item>
/// <item><c>api</c>: the analyst endpoints (stats, attribution, spend, report) without ingest or worker.</item>
/// </list>
/// A separate <c>load</c> role needs a shared store (ClickHouse), so it is refused for now with that reason.
/// </summary>
internal enum CollectorRole
{
    All,
    Ingest,
    Attribute,
    Api,
}

internal static class CollectorRoles
{
    public static bool TryParse(IConfiguration configuration, out CollectorRole role, out string? error)
    {
        var text = (configuration["role"] ?? configuration["OmniTrack:Role"] ?? "all").Trim().ToLowerInvariant();
        error = null;
        role = text switch
        {
            "all" => CollectorRole.All,
            "ingest" => CollectorRole.Ingest,
            "attribute" => CollectorRole.Attribute,
            "api" => CollectorRole.Api,
            _ => CollectorRole.All,
        };
        if (text is "all" or "ingest" or "attribute" or "api") { return true; }
        error = text == "load"
            ? "--role load: with the embedded DuckDB store the load stage runs inside the ingest process (one process may write the file); run --role ingest"
            : $"--role {text}: must be one of all, ingest, attribute, api";
        return false;
    }

    public static bool Ingests(this CollectorRole role) => role is CollectorRole.All or CollectorRole.Ingest;

    public static bool Attributes(this CollectorRole role) => role is CollectorRole.All or CollectorRole.Attribute;

    public static bool Serves(this CollectorRole role) => role is CollectorRole.All or CollectorRole.Api;
}
