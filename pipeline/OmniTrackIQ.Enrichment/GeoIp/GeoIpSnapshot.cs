using MaxMind.GeoIP2;

namespace OmniTrackIQ.Enrichment.GeoIp;

/// <summary>
/// The readers open at one moment plus the cache filled from them. Swapped as a whole on reload so
/// a lookup never mixes an old cache with a new database.
/// </summary>
internal sealed class GeoIpSnapshot(DatabaseReader? city, FileStamp cityStamp, DatabaseReader? asn, FileStamp asnStamp) : IDisposable
{
    public static readonly GeoIpSnapshot Disabled = new(null, default, null, default);

    public DatabaseReader? City { get; } = city;
    public FileStamp CityStamp { get; } = cityStamp;
    /// <summary>A Country database configured as the city one: looked up with TryCountry (country only).</summary>
    public bool CityIsCountryOnly { get; } = city?.Metadata.DatabaseType.Contains("Country", StringComparison.OrdinalIgnoreCase) == true;
    public DatabaseReader? Asn { get; } = asn;
    public FileStamp AsnStamp { get; } = asnStamp;
    public NetworkCache Cache { get; } = new();
    public bool IsEmpty => City is null && Asn is null;

    public void Dispose()
    {
        City?.Dispose();
        Asn?.Dispose();
    }
}
