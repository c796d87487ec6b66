using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// Sets country (ISO 3166-1 alpha-2), region (the first, i.e. largest, subdivision's ISO 3166-2 code
/// without the country part, e.g. "ENG" or "CA"; its English name when the database has no code),
/// city (English name), ASN and AS organisation from the raw client IP. Must run before the privacy
/// enricher, which anonymises that IP. Never rejects.
/// </summary>
public sealed class GeoIpEnricher(GeoIpDatabase database) : IEventEnricher
{
    public EnrichmentVerdict Enrich(TrackedEvent evt, in IngestRequest request)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var location = request.ClientIp is { } ip ? database.Lookup(ip) : GeoLocation.Empty;
        evt.Country = location.Country;
        evt.Region = location.Region;
        evt.City = location.City;
        evt.Asn = location.Asn;
        evt.AsnOrganization = location.AsnOrganization;
        return EnrichmentVerdict.Accept;
    }
}
