using System.Net;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Pipeline.Enrichment;

/// <summary>Facts about the HTTP request an event arrived on, shared by all events of a batch.</summary>
/// <param name="ClientIp">Raw client address: used for lookups, never stored (enrichers anonymise it).</param>
/// <param name="UserAgent">User-Agent header (or the event's context.userAgent when the collector prefers it).</param>
/// <param name="GlobalPrivacyControl">The request carried <c>Sec-GPC: 1</c>.</param>
/// <param name="Workspace">The authenticated workspace.</param>
public readonly record struct IngestRequest(
    IPAddress? ClientIp,
    string? UserAgent,
    bool GlobalPrivacyControl,
    WorkspaceSettings Workspace);
