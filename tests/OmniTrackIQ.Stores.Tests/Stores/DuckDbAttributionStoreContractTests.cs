using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The attribution contract on the embedded store, wired by its DI extension: a fresh file per test.</summary>
public sealed class DuckDbAttributionStoreContractTests : AttributionStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-attr-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _provider;

    protected override async Task<AttributionStoreUnderTest> OpenAsync()
    {
        _provider = Open(Path.Combine(_dir, "a.duckdb"));
        return await UnderTestAsync(_provider);
    }

    internal static ServiceProvider Open(string path)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
        services.AddDuckDbStore(new DuckDbStoreOptions { Path = path });
        return services.BuildServiceProvider();
    }

    internal static async Task<AttributionStoreUnderTest> UnderTestAsync(IServiceProvider provider)
    {
        await provider.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
        var events = provider.GetRequiredService<IEventStore>();
        return new AttributionStoreUnderTest(events, provider.GetRequiredService<IAttributionStore>(), provider.GetRequiredService<IAttributionQueries>(),
            provider.GetRequiredService<ISpendStore>());
    }

    public void Dispose()
    {
        _provider?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
