using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.ClickHouse.Attribution;
using OmniTrackIQ.Store.ClickHouse.Orders;
using OmniTrackIQ.Store.ClickHouse.Spend;

namespace OmniTrackIQ.Store.ClickHouse;

public static class ClickHouseStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ClickHouse store behind every store interface (DESIGN "The store seam"): one
    /// <see cref="ClickHouseDatabase"/> (one HttpClient for the process), <see cref="IEventStore"/>,
    /// <see cref="IEventBrowser"/>, <see cref="IBadEventRetention"/>, <see cref="IOrderLedger"/>, <see cref="ISpendStore"/>, <see cref="IAttributionStore"/>
    /// and <see cref="IAttributionQueries"/>. The database and tables are made by the start-up step, <see cref="IStoreMigrations"/>
    /// (<see cref="ClickHouseMigrations"/>): the host runs it at start and retries in the background while the server is down, a
    /// CLI verb runs it once; until it has finished, <see cref="StoreReadiness"/> is not ready and every reader refuses with
    /// <see cref="StoreNotReadyException"/>. Times come from the registered <see cref="TimeProvider"/>, else the system clock.
    /// </summary>
    public static IServiceCollection AddClickHouseStore(this IServiceCollection services, ClickHouseStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddClickHouseStore(_ => options);
    }

    /// <summary>The options come from the container when first needed (the collector's are bound and validated at start).</summary>
    public static IServiceCollection AddClickHouseStore(this IServiceCollection services, Func<IServiceProvider, ClickHouseStoreOptions> options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new ClickHouseDatabase(sp.GetRequiredService<ClickHouseStoreOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<IStoreMigrations, ClickHouseMigrations>();
        services.AddSingleton<ClickHouseEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<ClickHouseEventStore>());
        services.AddSingleton<IEventBrowser, ClickHouseEventBrowser>();
        services.AddSingleton<IBadEventRetention, ClickHouseBadEventRetention>();
        services.AddSingleton<IOrderLedger, ClickHouseOrderLedger>();
        services.AddSingleton<OmniTrackIQ.Pipeline.Analytics.IOrderListQueries, Analytics.ClickHouseOrderList>();
        services.AddSingleton<ISpendStore, ClickHouseSpendStore>();
        services.AddSingleton<ClickHouseAttributionStore>();
        services.AddSingleton<IAttributionStore>(sp => sp.GetRequiredService<ClickHouseAttributionStore>());
        services.AddSingleton<IAttributionQueries, ClickHouseAttributionQueries>();
        services.AddSingleton<IErasureStore, Erasure.ClickHouseErasureStore>();
        return services;
    }
}
