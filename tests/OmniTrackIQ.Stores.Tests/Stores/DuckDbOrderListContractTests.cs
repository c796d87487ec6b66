namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The order list contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbOrderListContractTests : OrderListContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-orders-" + Guid.NewGuid().ToString("N"));
    private Microsoft.Extensions.DependencyInjection.ServiceProvider? _provider;

    protected override async Task<IServiceProvider> OpenAsync()
    {
        _provider = DuckDbAttributionStoreContractTests.Open(Path.Combine(_dir, "o.duckdb"));
        await DuckDbAttributionStoreContractTests.UnderTestAsync(_provider); // initialises the events table and the orders view
        return _provider;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
