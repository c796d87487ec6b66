namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The attribution contract on ClickHouse: one database for the class, a workspace per test.</summary>
public class ClickHouseAttributionStoreContractTests(ClickHouseServerFixture server) : AttributionStoreContract, IClassFixture<ClickHouseServerFixture>
{
    protected override async Task<AttributionStoreUnderTest> OpenAsync() =>
        await DuckDbAttributionStoreContractTests.UnderTestAsync(await server.OpenAsync());
}
