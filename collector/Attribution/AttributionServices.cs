using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Store.DuckDb.Attribution;

// In the Hosting namespace so CollectorServices and Program pick the extensions up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary>DI wiring of the attribution runner, its periodic worker (unless the role leaves it out) and the readers.</summary>
internal static class AttributionServices
{
    public static IServiceCollection AddOmniTrackAttribution(this IServiceCollection services, IConfiguration configuration, bool worker = true)
    {
        services.AddSingleton(configuration.GetSection("OmniTrack:Attribution").Get<AttributionWorkerOptions>() ?? new AttributionWorkerOptions());
        // The embedded store's implementations; a ClickHouse store registers its own behind the same interfaces.
        services.AddSingleton<AttributionRunner>();
        services.AddSingleton<IAttributionStore>(sp => sp.GetRequiredService<AttributionRunner>());
        services.AddSingleton<IAttributionQueries, DuckDbAttributionQueries>();
        services.AddSingleton<OmniTrackIQ.Store.DuckDb.Spend.AdSpendStore>();
        if (worker) { services.AddHostedService<AttributionWorker>(); }
        return services;
    }

    /// <summary>Maps the <c>/v1/attribution/*</c> endpoints.</summary>
    public static IEndpointRouteBuilder MapAttribution(this IEndpointRouteBuilder app) => AttributionEndpoints.Map(app);
}
