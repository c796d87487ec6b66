using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The reads-write-nothing contract on the embedded store: a fresh file per test.</summary>
public sealed class DuckDbReadsWriteNothingTests : ReadsWriteNothingContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-reads-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _provider;

    protected override async Task<AttributionStoreUnderTest> OpenAsync()
    {
        _provider = DuckDbAttributionStoreContractTests.Open(Path.Combine(_dir, "r.duckdb"));
        return await DuckDbAttributionStoreContractTests.UnderTestAsync(_provider);
    }

    protected override Task<SortedDictionary<string, long>> RowCountsAsync()
    {
        using var connection = _provider!.GetRequiredService<DuckDbDatabase>().OpenReader();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'main' ORDER BY table_name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) { tables.Add(reader.GetString(0)); }
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.FromResult(counts);
    }

    public void Dispose()
    {
        _provider?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
