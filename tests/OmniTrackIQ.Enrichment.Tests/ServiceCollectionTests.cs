using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Pipeline.Enrichment;

namespace OmniTrackIQ.Enrichment.Tests;

public sealed class ServiceCollectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, int calls = 1)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        for (var i = 0; i < calls; i++)
        {
            services.AddOmniTrackEnrichment(configuration);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public void Enrichers_are_registered_once_in_geo_privacy_channel_order_even_when_added_twice()
    {
        using var provider = Build([], calls: 2);
        var types = provider.GetServices<IEventEnricher>().Select(e => e.GetType()).ToArray();
        Assert.Equal([typeof(GeoIpEnricher), typeof(PrivacyEnricher), typeof(ChannelEnricher)], types);
        Assert.False(provider.GetRequiredService<GeoIpDatabase>().IsEnabled);
    }

    [Fact]
    public void GeoIp_options_bind_from_the_omnitrack_section()
    {
        using var provider = Build(new()
        {
            ["OmniTrack:GeoIp:CityDatabase"] = TestData.GeoIp("GeoLite2-City-Test.mmdb"),
            ["OmniTrack:GeoIp:AsnDatabase"] = TestData.GeoIp("GeoLite2-ASN-Test.mmdb"),
            ["OmniTrack:GeoIp:ReloadCheckSeconds"] = "5",
        }, calls: 2);

        var options = provider.GetRequiredService<IOptions<GeoIpOptions>>().Value;
        Assert.Equal((TestData.GeoIp("GeoLite2-City-Test.mmdb"), TestData.GeoIp("GeoLite2-ASN-Test.mmdb"), 5),
            (options.CityDatabase, options.AsnDatabase, options.ReloadCheckSeconds));
        Assert.True(provider.GetRequiredService<GeoIpDatabase>().IsEnabled);
        Assert.Equal("London", provider.GetRequiredService<GeoIpDatabase>().Lookup(System.Net.IPAddress.Parse("81.2.69.160")).City);
    }

    [Fact]
    public void A_negative_reload_period_fails_validation()
    {
        using var provider = Build(new() { ["OmniTrack:GeoIp:ReloadCheckSeconds"] = "-1" });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<GeoIpDatabase>());
        Assert.Contains("ReloadCheckSeconds", error.Message, StringComparison.Ordinal);
    }
}
