using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Builders of wire-format bodies for tests.</summary>
internal static class Payloads
{
    public static string Event(string messageId, string type = "page", string extra = "") =>
        $$"""{"type":"{{type}}","messageId":"{{messageId}}","anonymousId":"anon-1","timestamp":"2026-11-23T11:59:58.000Z"{{extra}}}""";

    public static string Batch(params string[] events) => BatchWithKey(CollectorFactory.WriteKey, events);

    public static string BatchWithKey(string key, params string[] events) =>
        $$"""{"writeKey":"{{key}}","sentAt":"2026-11-23T12:00:00.000Z","batch":[{{string.Join(",", events)}}]}""";

    public static string ManyEvents(int count, string prefix) =>
        Batch(Enumerable.Range(0, count).Select(i => Event(prefix + i.ToString(CultureInfo.InvariantCulture))).ToArray());

    public static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);
}
