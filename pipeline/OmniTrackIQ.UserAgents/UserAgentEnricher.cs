using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.UserAgents;

/// <summary>
/// Fills the event's User-Agent columns from the request's User-Agent (the event's own
/// <c>context.userAgent</c> when the request has none). With a cached UA this allocates nothing:
/// every string it stores comes precomputed from the shared <see cref="UserAgentInfo"/>.
/// Never rejects: an unknown or missing UA is data ("Other", or a bot), not an error.
/// </summary>
public sealed class UserAgentEnricher(UserAgentCache cache) : IEventEnricher
{
    public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(evt);

        // The event's context.userAgent is the visitor's browser; the request header is the sender's, which for a
        // server-side client (analytics-node, a shop backend) is a library, not the visitor.
        var raw = evt.UserAgent ?? request.UserAgent;
        var info = cache.GetOrParse(raw);

        // Store the raw UA cut to the parsed length; the capped copy already lives in the cached result.
        evt.UserAgent = raw is null || raw.Length <= UserAgentParser.MaxUserAgentLength
            ? raw
            : info.UserAgent ?? raw[..UserAgentParser.MaxUserAgentLength];
        evt.Browser = info.Browser.Family;
        evt.BrowserVersion = info.Browser.Version;
        evt.Os = info.Os.Family;
        evt.OsVersion = info.Os.Version;
        evt.DeviceFamily = info.Device.Family;
        evt.DeviceBrand = info.Device.Brand;
        evt.DeviceModel = info.Device.Model;
        evt.DeviceClass = info.DeviceClassName;
        // OR, not assign: another enricher (e.g. a data-centre IP check) may already have flagged the event.
        evt.IsBot |= info.IsBot;
        return EnrichmentVerdict.Accept;
    }
}
