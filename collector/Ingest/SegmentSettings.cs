using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// The settings object analytics.js loads from <c>{cdnURL}/v1/projects/{writeKey}/settings</c>: only the Segment.io
/// destination, pointed back at this collector, and metrics off. Nothing in it makes analytics.js load code from
/// elsewhere (no other integrations, remote plugins or middleware).
/// </summary>
public sealed record SegmentSettings(SegmentIntegrations Integrations, SegmentMetricsSettings Metrics)
{
    /// <summary>
    /// Settings for a key, pointed at <paramref name="publicUrl"/> when one is configured, else at the host and scheme
    /// the browser used, and the caching that makes safe. An answer built from the request's <c>Host</c> must never be
    /// shared: a cache in front of us would hand one client's (possibly forged) host to every other client, sending
    /// their events elsewhere. So it is <c>private, no-store</c> and varies by Host; with a configured URL the answer is
    /// the same for everyone and may be cached publicly.
    /// </summary>
    public static SegmentSettings Answer(string writeKey, HttpContext context, Uri? publicUrl)
    {
        var headers = context.Response.Headers;
        if (publicUrl is not null)
        {
            headers.CacheControl = "public, max-age=300";
            var path = publicUrl.AbsolutePath.TrimEnd('/');
            return For(writeKey, publicUrl.Authority + path + "/v1", publicUrl.Scheme);
        }

        headers.CacheControl = "private, no-store";
        headers.Vary = HeaderNames.Host;
        return For(writeKey, context.Request.Host.Value + "/v1", context.Request.Scheme);
    }

    private static SegmentSettings For(string writeKey, string apiHost, string scheme) =>
        new(new SegmentIntegrations(new SegmentIoSettings(writeKey, apiHost, scheme)), new SegmentMetricsSettings(0));
}

public sealed record SegmentIntegrations([property: JsonPropertyName("Segment.io")] SegmentIoSettings SegmentIo);

/// <summary><c>apiHost</c> has no scheme (analytics.js adds <c>protocol</c>).</summary>
public sealed record SegmentIoSettings(string ApiKey, string ApiHost, string Protocol);

/// <summary>A sample rate of 0 keeps analytics.js from posting its own metrics.</summary>
public sealed record SegmentMetricsSettings(int SampleRate);
