using System.Globalization;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The reads-write-nothing contract on ClickHouse: one database for the class, a workspace per test, merges stopped.</summary>
public sealed class ClickHouseReadsWriteNothingTests(ClickHouseServerFixture server) : ReadsWriteNothingContract, IClassFixture<ClickHouseServerFixture>
{
    protected override async Task<AttributionStoreUnderTest> OpenAsync() =>
        await DuckDbAttributionStoreContractTests.UnderTestAsync(await server.OpenAsync());

    /// <summary>
    /// count() of every table (views aside). Merges are stopped first: a replacing merge between two counts would lower
    /// one without any write, and the assertion is about writes.
    /// </summary>
    protected override async Task<SortedDictionary<string, long>> RowCountsAsync()
    {
        var tables = (await server.QueryAsync($"SELECT name FROM system.tables WHERE database = '{server.Database}' AND engine NOT LIKE '%View' ORDER BY name"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await server.QueryAsync($"SYSTEM STOP MERGES {server.Database}.{table}");
            counts[table] = long.Parse((await server.QueryAsync($"SELECT count() FROM {server.Database}.{table}")).Trim(), CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
