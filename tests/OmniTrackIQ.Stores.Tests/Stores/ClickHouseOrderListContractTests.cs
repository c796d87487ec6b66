namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The order list contract on ClickHouse: one database for the class, a workspace per test.</summary>
public class ClickHouseOrderListContractTests(ClickHouseServerFixture server) : OrderListContract, IClassFixture<ClickHouseServerFixture>
{
    protected override async Task<IServiceProvider> OpenAsync()
    {
        var provider = await server.OpenAsync();
        await DuckDbAttributionStoreContractTests.UnderTestAsync(provider);
        return provider;
    }
}
