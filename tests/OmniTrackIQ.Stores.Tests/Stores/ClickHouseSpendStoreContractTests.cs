using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.ClickHouse.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// The spend contract on ClickHouse: one database for the class, merges of ad_spend stopped so that every replaced
/// version stays next to its successor and the reads prove they pick one. Figures come from <see cref="SpendSql.SpentBy"/>.
/// </summary>
public class ClickHouseSpendStoreContractTests(ClickHouseServerFixture server) : SpendStoreContract, IClassFixture<ClickHouseServerFixture>
{
    private ClickHouseDatabase? _database;

    protected override async Task<ISpendStore> OpenAsync()
    {
        var provider = await server.OpenAsync();
        await server.StopMergesAsync("ad_spend");
        _database = provider.GetRequiredService<ClickHouseDatabase>();
        return provider.GetRequiredService<ISpendStore>();
    }

    protected override async Task<IReadOnlyList<StoredSpend>> ReadAsync(string workspace)
    {
        var rows = new List<StoredSpend>();
        await Database.ReadRowsAsync(SpendSchema.Current(Database.Name, SqlLiteral.String(workspace)), r =>
        {
            var counts = r.GetProperty("current_counts");
            rows.Add(new StoredSpend(DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.GetProperty("platform").GetString()!, r.GetProperty("current_channel").GetString()!, r.GetProperty("campaign").GetString()!,
                r.GetProperty("current_spend").GetDecimal(), r.GetProperty("current_currency").GetString()!, Count(counts[0]), Count(counts[1])));
        }, CancellationToken.None);
        return rows;
    }

    protected override async Task<IReadOnlyList<StoredLevel>> ReadLevelsAsync(string workspace)
    {
        var rows = new List<StoredLevel>();
        await Database.ReadRowsAsync(SpendSchema.Current(Database.Name, SqlLiteral.String(workspace)), r =>
            rows.Add(new StoredLevel(DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.GetProperty("campaign").GetString()!, r.GetProperty("campaign_id").GetString()!, r.GetProperty("ad_group_id").GetString()!,
                r.GetProperty("ad_group").GetString()!, r.GetProperty("ad_id").GetString()!, r.GetProperty("ad").GetString()!,
                r.GetProperty("current_spend").GetDecimal(), ClickHouseDatabase.Number(r.GetProperty("current_flagged")) == 1)), CancellationToken.None);
        return rows;
    }

    protected override async Task<IReadOnlyDictionary<string, double>> SpentByAsync(string workspace, AttributionGroupBy groupBy, DateTime? from, DateTime? to)
    {
        var spent = new Dictionary<string, double>(StringComparer.Ordinal);
        await Database.ReadRowsAsync($"SELECT k, spend FROM ({SpendSql.SpentBy(Database.Name, SqlLiteral.String(workspace), groupBy, from, to, null)})",
            r => spent.Add(r.GetProperty("k").GetString()!, r.GetProperty("spend").GetDouble()), CancellationToken.None);
        return spent;
    }

    private ClickHouseDatabase Database => _database ?? throw new InvalidOperationException("OpenAsync first");

    private static long? Count(System.Text.Json.JsonElement value) =>
        value.ValueKind == System.Text.Json.JsonValueKind.Null ? null : ClickHouseDatabase.Number(value);
}
