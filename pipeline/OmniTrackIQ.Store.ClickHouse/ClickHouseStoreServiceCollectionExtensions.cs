using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse.Attribution;

namespace OmniTrackIQ.Store.ClickHouse;

public static class ClickHouseStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ClickHouse store: one <see cref="ClickHouseDatabase"/> (one HttpClient for the process),
    /// <see cref="IEventStore"/>, <see cref="IEventBrowser"/>, <see cref="IAttributionStore"/> and <see cref="IAttributionQueries"/>. The database and tables are made by
    /// <see cref="IEventStore.InitializeAsync"/> (the sink calls it at start). Times come from the registered
    /// <see cref="TimeProvider"/>, else the system clock.
    /// </summary>
    public static IServiceCollection AddClickHouseStore(this IServiceCollection services, ClickHouseStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new ClickHouseDatabase(options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ClickHouseEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<ClickHouseEventStore>());
        services.AddSingleton<IEventBrowser, ClickHouseEventBrowser>();
        services.AddSingleton<OmniTrackIQ.Pipeline.Spend.ISpendStore, Spend.ClickHouseSpendStore>();
        services.AddSingleton<OmniTrackIQ.Pipeline.Orders.IOrderLedger, Orders.ClickHouseOrderLedger>();
        services.AddSingleton<ClickHouseAttributionStore>();
        services.AddSingleton<IAttributionStore>(sp => sp.GetRequiredService<ClickHouseAttributionStore>());
        services.AddSingleton<IAttributionQueries, ClickHouseAttributionQueries>();
        return services;
    }
}
