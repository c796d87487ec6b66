using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The same shop history loaded into DuckDB and ClickHouse gives the same answers: all nine models by channel, source
/// and campaign with spend, top paths and coverage from the stored runs, and the on-the-fly models under other options.
/// ClickHouse gets every event twice (a racing second writer), so its exactness despite unmerged copies is part of it.
/// </summary>
public class StoreParityTests(ClickHouseServerFixture server) : IClassFixture<ClickHouseServerFixture>, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-parity-" + Guid.NewGuid().ToString("N"));

    [SkippableFact]
    public async Task Both_stores_give_the_same_results_for_every_model_summary_path_and_coverage()
    {
        var clickHouse = await DuckDbAttributionStoreContractTests.UnderTestAsync(await server.OpenAsync());
        await server.StopMergesAsync("events");
        using var duckProvider = DuckDbAttributionStoreContractTests.Open(Path.Combine(_dir, "p.duckdb"));
        var duckDb = await DuckDbAttributionStoreContractTests.UnderTestAsync(duckProvider);

        var data = new AttributionData("parity");
        var history = data.ShopHistory(people: 120);
        foreach (var store in new[] { duckDb, clickHouse })
        {
            await store.Events.WriteEventsAsync(history, CancellationToken.None);
            if (store == clickHouse) { await ((OmniTrackIQ.Store.ClickHouse.ClickHouseEventStore)clickHouse.Events).InsertAsync(history, CancellationToken.None); }
            await store.Spend.UpsertAsync(data.Workspace, AttributionData.Spend(), CancellationToken.None);
            await store.Runs.RunAsync(data.Workspace, new AttributionSettings { LookbackDays = 14, MarkovOrder = 2 }, CancellationToken.None);
        }

        var expected = await AttributionStoreContract.SnapshotAsync(duckDb, data.Workspace);
        Assert.Equal(expected, await AttributionStoreContract.SnapshotAsync(clickHouse, data.Workspace));
        Assert.Contains("shapley|campaign|", expected, StringComparison.Ordinal);
        Assert.Contains("miss|", expected, StringComparison.Ordinal);

        var adHoc = new AttributionSettings { LookbackDays = 3, PaidClicksFirst = true };
        Assert.Equal(await AttributionStoreContract.SnapshotAsync(duckDb, data.Workspace, adHoc),
            await AttributionStoreContract.SnapshotAsync(clickHouse, data.Workspace, adHoc));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
