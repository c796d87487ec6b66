using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>The spend contract on the embedded store; spend figures are read through the attribution summary itself.</summary>
public sealed class DuckDbSpendStoreContractTests : SpendStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-duck-spend-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbDatabase _database;

    public DuckDbSpendStoreContractTests() => _database = new DuckDbDatabase(Path.Combine(_dir, "spend.duckdb"));

    protected override Task<ISpendStore> OpenAsync() => Task.FromResult<ISpendStore>(new AdSpendStore(_database));

    protected override Task<IReadOnlyList<StoredSpend>> ReadAsync(string workspace)
    {
        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT date, platform, channel, campaign, spend, currency, impressions, clicks FROM ad_spend WHERE workspace = $ws";
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var rows = new List<StoredSpend>();
        while (reader.Read())
        {
            rows.Add(new StoredSpend(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7)));
        }

        return Task.FromResult<IReadOnlyList<StoredSpend>>(rows);
    }

    protected override Task<IReadOnlyList<StoredLevel>> ReadLevelsAsync(string workspace)
    {
        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT date, campaign, campaign_id, ad_group_id, ad_group, ad_id, ad, spend, currency_flagged FROM ad_spend WHERE workspace = $ws";
        command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        var rows = new List<StoredLevel>();
        while (reader.Read())
        {
            rows.Add(new StoredLevel(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetDecimal(7), reader.GetBoolean(8)));
        }

        return Task.FromResult<IReadOnlyList<StoredLevel>>(rows);
    }

    /// <summary>With no attributed conversion every row of the summary is a spend-only group.</summary>
    protected override async Task<IReadOnlyDictionary<string, double>> SpentByAsync(string workspace, AttributionGroupBy groupBy, DateTime? from, DateTime? to)
    {
        var summary = new AttributionSummary(_database);
        var rows = await summary.SummarizeAsync(workspace, "linear", groupBy, from, to, CancellationToken.None);
        return rows.ToDictionary(r => r.Key, r => r.Spend ?? double.NaN, StringComparer.Ordinal);
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
