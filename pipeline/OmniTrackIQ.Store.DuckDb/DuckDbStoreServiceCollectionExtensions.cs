using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Orders;
using OmniTrackIQ.Store.DuckDb.Spend;

namespace OmniTrackIQ.Store.DuckDb;

/// <summary>
/// Registers the embedded store behind every store interface (DESIGN "The store seam"); needs a <see cref="TimeProvider"/> registered.
/// Its start-up step is opening the file (<see cref="DuckDbMigrations"/>), so its <see cref="StoreReadiness"/> is ready from the start.
/// </summary>
public static class DuckDbStoreServiceCollectionExtensions
{
    public static IServiceCollection AddDuckDbStore(this IServiceCollection services, DuckDbStoreOptions options) => services.AddDuckDbStore(_ => options);

    /// <summary>The options come from the container when first needed (the collector's are bound and validated at start).</summary>
    public static IServiceCollection AddDuckDbStore(this IServiceCollection services, Func<IServiceProvider, DuckDbStoreOptions> options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<DuckDbStoreOptions>();
            return new DuckDbDatabase(settings.Path, settings.MemoryLimit, settings.Threads, settings.CheckpointThreshold, settings.AllocatorDecayMs);
        });
        services.AddSingleton(StoreReadiness.Ready());
        services.AddSingleton<IStoreMigrations, DuckDbMigrations>();
        services.AddSingleton<IEventStore>(sp =>
            new DuckDbEventStore(sp.GetRequiredService<DuckDbDatabase>(), sp.GetRequiredService<DuckDbStoreOptions>().RecentIdCapacity));
        services.AddSingleton<IEventBrowser, DuckDbEventBrowser>();
        services.AddSingleton<IBadEventRetention, DuckDbBadEventRetention>();
        services.AddSingleton<IOrderLedger, DuckDbOrderLedger>();
        services.AddSingleton<OmniTrackIQ.Pipeline.Analytics.IOrderListQueries, Analytics.DuckDbOrderList>();
        services.AddSingleton(sp => new AttributionRunner(sp.GetRequiredService<DuckDbDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DuckDbStoreOptions>().RecomputeRangeRows));
        services.AddSingleton<IAttributionStore>(sp => sp.GetRequiredService<AttributionRunner>());
        services.AddSingleton<IAttributionQueries, DuckDbAttributionQueries>();
        services.AddSingleton<ISpendStore, AdSpendStore>();
        services.AddSingleton<IErasureStore, Erasure.DuckDbErasureStore>();
        return services;
    }
}
