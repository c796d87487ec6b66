using System.Text.Json.Serialization;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The settings object analytics.js loads from <c>{cdnURL}/v1/projects/{writeKey}/settings</c>: only the Segment.io
/// destination, pointed back at this collector, and metrics off. Nothing in it makes analytics.js load code from
/// elsewhere (no other integrations, remote plugins or middleware).
/// </summary>
public sealed record SegmentSettings(SegmentIntegrations Integrations, SegmentMetricsSettings Metrics)
{
    /// <summary>Settings for a key, with the host and scheme the browser used to reach us.</summary>
    public static SegmentSettings For(string writeKey, HttpRequest request) =>
        new(new SegmentIntegrations(new SegmentIoSettings(writeKey, request.Host.Value + "/v1", request.Scheme)), new SegmentMetricsSettings(0));
}

public sealed record SegmentIntegrations([property: JsonPropertyName("Segment.io")] SegmentIoSettings SegmentIo);

/// <summary><c>apiHost</c> has no scheme (analytics.js adds <c>protocol</c>).</summary>
public sealed record SegmentIoSettings(string ApiKey, string ApiHost, string Protocol);

/// <summary>A sample rate of 0 keeps analytics.js from posting its own metrics.</summary>
public sealed record SegmentMetricsSettings(int SampleRate);
