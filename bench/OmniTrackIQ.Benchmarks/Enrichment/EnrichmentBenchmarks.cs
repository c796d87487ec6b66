using System.Net;
using BenchmarkDotNet.Attributes;
using MaxMind.Db;
using MaxMind.GeoIP2;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Benchmarks.Enrichment;

/// <summary>
/// The geo, privacy and channel enrichers on one typical browser event (MaxMind's City test database).
/// Allocations expected: none for geo on a cache hit and for channel with context UTMs; the two stored
/// strings (anonymised IP, email hash) for privacy.
/// </summary>
[MemoryDiagnoser]
public class EnrichmentBenchmarks : IDisposable
{
    private const string Email = "Jane.Doe@Example.com";

    // 175.16.199.0/24 is one network in the test database, so its answers are cached per /24.
    private static readonly IPAddress CachedIp = IPAddress.Parse("175.16.199.77");
    // 81.2.69.160/27 is narrower than /24: every lookup goes to the database.
    private static readonly IPAddress UncachedIp = IPAddress.Parse("81.2.69.170");

    private GeoIpDatabase _database = null!;
    private DatabaseReader _rawReader = null!;
    private IEventEnricher[] _enrichers = null!;
    private IngestRequest _request;
    private TrackedEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        var city = GeoIpTestDatabase.Path("GeoIP2-City-Test.mmdb");
        _database = new GeoIpDatabase(
            Options.Create(new GeoIpOptions { CityDatabase = city, ReloadCheckSeconds = 0 }),
            NullLogger<GeoIpDatabase>.Instance);
        _rawReader = new DatabaseReader(city, FileAccessMode.MemoryMapped);
        _enrichers = [new GeoIpEnricher(_database), new PrivacyEnricher(), new ChannelEnricher()];
        _request = new IngestRequest(CachedIp, "Mozilla/5.0", false, new WorkspaceSettings { OwnDomains = ["shop.example"] });
        _event = new TrackedEvent
        {
            PageUrl = "https://shop.example/products/42?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0KCQiA",
            PageReferrer = "https://www.google.com/",
            UtmSource = "google",
            UtmMedium = "cpc",
            UtmCampaign = "brand",
            ClickIdType = "gclid",
            ClickId = "Cj0KCQiA",
        };
    }

    [Benchmark]
    public string? GeoLookup_cached() => _database.Lookup(CachedIp).City;

    [Benchmark]
    public string? GeoLookup_uncached() => _database.Lookup(UncachedIp).City;

    [Benchmark(Description = "MaxMind TryCity (no cache, for comparison)")]
    public string? GeoLookup_maxmind_raw() => _rawReader.TryCity(CachedIp, out var response) ? response?.City.Name : null;

    [Benchmark]
    public string? Privacy_ip_and_email()
    {
        _event.EmailClearText = Email;
        return _enrichers[1].Enrich(_event, _request).Reason ?? _event.EmailSha256;
    }

    [Benchmark]
    public string Channel_classify() => ChannelClassifier.Classify(new ChannelSignals
    {
        UtmSource = "google",
        UtmMedium = "cpc",
        UtmCampaign = "brand",
        ClickIdType = "gclid",
        ReferrerHost = UrlParts.Host("https://www.google.com/"),
        LandingHost = UrlParts.Host("https://shop.example/products/42"),
    }).Channel;

    [Benchmark]
    public string? Channel_classify_referrer_only() => ChannelClassifier.Classify(new ChannelSignals
    {
        ReferrerHost = UrlParts.Host("https://www.google.co.uk/search?q=shoes"),
        LandingHost = "shop.example",
    }).Channel;

    [Benchmark]
    public string? All_three_enrichers()
    {
        _event.EmailClearText = Email;
        foreach (var enricher in _enrichers)
        {
            enricher.Enrich(_event, _request);
        }

        return _event.Channel;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _database.Dispose();
        _rawReader.Dispose();
        GC.SuppressFinalize(this);
    }
}
