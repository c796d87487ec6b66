using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The event routes a Segment-spec client posts to: Segment's HTTP API names and analytics.js's one-letter forms.
/// A null type is a batch body; otherwise the body is one event of that type.
/// </summary>
internal static class SegmentRoutes
{
    public static readonly (string Path, EventType? Type)[] All =
    [
        ("/v1/batch", null), ("/v1/b", null),
        ("/v1/track", EventType.Track), ("/v1/t", EventType.Track),
        ("/v1/page", EventType.Page), ("/v1/p", EventType.Page),
        ("/v1/identify", EventType.Identify), ("/v1/i", EventType.Identify),
        ("/v1/screen", EventType.Screen), ("/v1/s", EventType.Screen),
        ("/v1/group", EventType.Group), ("/v1/g", EventType.Group),
        ("/v1/alias", EventType.Alias), ("/v1/a", EventType.Alias),
    ];

    /// <summary>analytics.js's client metrics: answered, never stored.</summary>
    public const string Metrics = "/v1/m";

    /// <summary>analytics.js's settings, fetched from <c>cdnURL</c>.</summary>
    public const string SettingsPrefix = "/v1/projects/";

    private static readonly HashSet<string> s_browserPaths = new([.. All.Select(r => r.Path), Metrics, "/p.gif"], StringComparer.Ordinal);

    /// <summary>Routes a browser calls cross-origin, which get CORS answers.</summary>
    public static bool IsBrowserPath(PathString path) =>
        path.Value is { } value && (s_browserPaths.Contains(value) || value.StartsWith(SettingsPrefix, StringComparison.Ordinal));
}
