using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Pipeline.Enrichment;

namespace OmniTrackIQ.Enrichment;

public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>
    /// Registers the geo, privacy and channel enrichers as <see cref="IEventEnricher"/> singletons in
    /// that order (geo needs the raw IP that privacy then anonymises) and binds
    /// <see cref="GeoIpOptions"/> from <c>OmniTrack:GeoIp</c>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddOmniTrackEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var alreadyAdded = false;
        foreach (var descriptor in services)
        {
            alreadyAdded |= descriptor.ServiceType == typeof(GeoIpDatabase);
        }

        if (!alreadyAdded)
        {
            services.AddOptions<GeoIpOptions>()
                .Bind(configuration.GetSection(GeoIpOptions.SectionName))
                .Validate(static o => o.ReloadCheckSeconds >= 0, $"{GeoIpOptions.SectionName}:ReloadCheckSeconds must be 0 (off) or more.")
                .ValidateOnStart();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new GeoIpDatabase(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GeoIpOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GeoIpDatabase>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventEnricher, GeoIpEnricher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventEnricher, PrivacyEnricher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventEnricher, ChannelEnricher>());
        return services;
    }
}
