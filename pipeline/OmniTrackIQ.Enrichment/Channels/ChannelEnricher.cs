using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// Sets <see cref="TrackedEvent.Channel"/> and <see cref="TrackedEvent.AdPlatform"/>. UTMs and the
/// click id come from the event's context; when it has none they are read from the landing page
/// URL and stored on the event. Never rejects.
/// </summary>
public sealed class ChannelEnricher : IEventEnricher
{
    public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var fillUtm = string.IsNullOrEmpty(evt.UtmSource) && string.IsNullOrEmpty(evt.UtmMedium)
            && string.IsNullOrEmpty(evt.UtmCampaign) && string.IsNullOrEmpty(evt.UtmTerm) && string.IsNullOrEmpty(evt.UtmContent);
        var fillClickId = string.IsNullOrEmpty(evt.ClickIdType);
        if ((fillUtm || fillClickId) && !string.IsNullOrEmpty(evt.PageUrl))
        {
            UrlCampaign.Fill(evt, fillUtm, fillClickId);
        }

        var result = ChannelClassifier.Classify(new ChannelSignals
        {
            UtmSource = evt.UtmSource,
            UtmMedium = evt.UtmMedium,
            UtmCampaign = evt.UtmCampaign,
            ClickIdType = evt.ClickIdType,
            ReferrerHost = UrlParts.Host(evt.PageReferrer),
            LandingHost = UrlParts.Host(evt.PageUrl),
            OwnDomains = request.Workspace?.OwnDomains,
        });
        evt.Channel = result.Channel;
        evt.AdPlatform = result.AdPlatform;
        return EnrichmentVerdict.Accept;
    }
}
