using OmniTrackIQ.Collector.Attribution;

// In the Hosting namespace so CollectorServices and Program pick the extensions up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary>DI wiring of the periodic attribution worker (unless the role leaves it out).</summary>
internal static class AttributionServices
{
    public static IServiceCollection AddOmniTrackAttribution(this IServiceCollection services, IConfiguration configuration, bool worker = true)
    {
        services.AddValidatedOptions<AttributionWorkerOptions>(configuration, "OmniTrack:Attribution");
        services.AddSingleton<AttributionLease>();
        // The store's IAttributionStore / IAttributionQueries come with the store (StoreServices).
        if (worker) { services.AddHostedService<AttributionWorker>(); }
        return services;
    }

    /// <summary>Maps the <c>/v1/attribution/*</c> endpoints.</summary>
    public static IEndpointRouteBuilder MapAttribution(this IEndpointRouteBuilder app) => AttributionEndpoints.Map(app);
}
