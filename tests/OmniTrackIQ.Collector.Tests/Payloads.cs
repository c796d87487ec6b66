using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Builders of wire-format bodies for tests.</summary>
internal static class Payloads
{
    /// <summary>
    /// When the test payloads were "sent": every collector a test starts runs on a clock pinned to this instant
    /// (<c>OmniTrack:Clock:StartAt</c>), so skew correction, lookback windows and date filters see the same
    /// times on any day the suite runs.
    /// </summary>
    public const string SentAt = "2026-11-23T12:00:00.000Z";

    public static string Event(string messageId, string type = "page", string extra = "") =>
        $$"""{"type":"{{type}}","messageId":"{{messageId}}","anonymousId":"anon-1","timestamp":"2026-11-23T11:59:58.000Z"{{extra}}}""";

    public static string Batch(params string[] events) => BatchWithKey(CollectorFactory.WriteKey, events);

    public static string BatchWithKey(string key, params string[] events) =>
        $$"""{"writeKey":"{{key}}","sentAt":"{{SentAt}}","batch":[{{string.Join(",", events)}}]}""";

    public static string ManyEvents(int count, string prefix) =>
        Batch(Enumerable.Range(0, count).Select(i => Event(prefix + i.ToString(CultureInfo.InvariantCulture))).ToArray());

    public static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);
}
