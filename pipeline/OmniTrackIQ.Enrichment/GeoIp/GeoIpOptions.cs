namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>GeoIP settings, bound from <c>OmniTrack:GeoIp</c>.</summary>
public sealed class GeoIpOptions
{
    public const string SectionName = "OmniTrack:GeoIp";

    /// <summary>Seconds between cheap file-stamp checks; 0 turns polling off (the file watcher still runs).</summary>
    internal const int DefaultReloadCheckSeconds = 60;

    /// <summary>Path of a MaxMind City (or Country) .mmdb; null or empty turns GeoIP off.</summary>
    public string? CityDatabase { get; set; }

    /// <summary>Optional path of a MaxMind ASN .mmdb.</summary>
    public string? AsnDatabase { get; set; }

    public int ReloadCheckSeconds { get; set; } = DefaultReloadCheckSeconds;
}
