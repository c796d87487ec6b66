namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// The geo facts stored on an event. Immutable so one instance can sit in the network cache and be
/// handed to many events: the enricher copies string references, it never builds strings.
/// </summary>
internal sealed record GeoLocation(string? Country, string? Region, string? City, uint? Asn, string? AsnOrganization)
{
    public static readonly GeoLocation Empty = new(null, null, null, null, null);
}
