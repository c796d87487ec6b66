using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The contract on ClickHouse: one database for the class, a workspace per test, merges stopped.</summary>
public class ClickHouseEventStoreContractTests(ClickHouseServerFixture server) : EventStoreContract, IClassFixture<ClickHouseServerFixture>
{
    protected override async Task<StoreUnderTest> OpenAsync()
    {
        var provider = await server.OpenAsync();
        // Copies must stay unmerged for the reads to prove they do not depend on merges.
        await server.StopMergesAsync("events");
        return new StoreUnderTest(provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<IEventBrowser>(),
            () => ClickHouseServerFixture.MigrateAsync(provider));
    }

    protected override Task WriteRacingCopyAsync(StoreUnderTest store, IReadOnlyList<TrackedEvent> events) =>
        ((ClickHouseEventStore)store.Store).InsertAsync(events, CancellationToken.None);
}
