using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Enrichment.GeoIp;

namespace OmniTrackIQ.Enrichment.Tests.GeoIp;

internal static class GeoIpTestHost
{
    public static GeoIpDatabase Open(string? cityPath, string? asnPath = null, TimeProvider? time = null) =>
        new(Options.Create(new GeoIpOptions { CityDatabase = cityPath, AsnDatabase = asnPath, ReloadCheckSeconds = 0 }),
            NullLogger<GeoIpDatabase>.Instance, time ?? new FakeTimeProvider());
}
