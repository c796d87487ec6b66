using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The retention contract on ClickHouse, wired by AddClickHouseStore: a database per test (partitions are dropped table-wide).</summary>
public class ClickHouseBadEventRetentionContractTests : BadEventRetentionContract, IAsyncLifetime
{
    private readonly ClickHouseServerFixture _server;

    public ClickHouseBadEventRetentionContractTests()
        : this(new ClickHouseServerFixture())
    {
    }

    protected ClickHouseBadEventRetentionContractTests(ClickHouseServerFixture server) => _server = server;

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    protected override async Task<(StoreUnderTest Store, IBadEventRetention Retention)> OpenAsync()
    {
        var provider = await _server.OpenAsync();
        return (new StoreUnderTest(provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<IEventBrowser>(), () => ClickHouseServerFixture.MigrateAsync(provider)),
            provider.GetRequiredService<IBadEventRetention>());
    }

    protected override Task SettleAsync() => _server.UntilMutationsDoneAsync();
}
