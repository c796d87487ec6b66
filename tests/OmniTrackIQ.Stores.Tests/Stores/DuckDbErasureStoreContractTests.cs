using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Orders;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The erasure contract on the embedded store, wired by its DI extension: a fresh file per test.</summary>
public sealed class DuckDbErasureStoreContractTests : ErasureStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-erase-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _provider;

    protected override async Task<ErasureStoreUnderTest> OpenAsync()
    {
        _provider = DuckDbAttributionStoreContractTests.Open(Path.Combine(_dir, "e.duckdb"));
        return await UnderTestAsync(_provider);
    }

    internal static async Task<ErasureStoreUnderTest> UnderTestAsync(IServiceProvider provider)
    {
        await provider.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
        var events = provider.GetRequiredService<IEventStore>();
        return new ErasureStoreUnderTest(events, provider.GetRequiredService<IAttributionStore>(), provider.GetRequiredService<IOrderLedger>(),
            provider.GetRequiredService<IErasureStore>());
    }

    protected override Task<IReadOnlyList<(string Table, string Row)>> AllRowsAsync()
    {
        using var connection = _provider!.GetRequiredService<DuckDbDatabase>().OpenReader();
        var rows = new List<(string, string)>();
        var tables = Tables(connection);
        Assert.Contains("identity_links", tables);
        Assert.Contains("person_paths", tables);
        foreach (var table in tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT CAST(t AS VARCHAR) FROM \"{table}\" t";
            using var reader = command.ExecuteReader();
            while (reader.Read()) { rows.Add((table, reader.GetString(0))); }
        }

        return Task.FromResult<IReadOnlyList<(string Table, string Row)>>(rows);
    }

    private static List<string> Tables(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = 'main'";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) { tables.Add(reader.GetString(0)); }
        return tables;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
