using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Tests.Stores;
using OmniTrackIQ.Store.DuckDb.Attribution;

namespace OmniTrackIQ.Pipeline.Tests.Attribution;

/// <summary>
/// A compare's stored sums (<see cref="StoredSums"/>: the heuristics from one scan, Markov and Shapley from one per-conversion
/// aggregate) are the sums of the <c>attribution_results</c> view read model by model, to the last bit, for every grouping,
/// range and channel, and so are the compare's answers.
/// </summary>
public sealed class StoredSumsTests : IDisposable
{
    private readonly AttributionStoreFixture _db = new();
    private readonly AttributionData _data = new("w");

    [Fact]
    public async Task A_compares_sums_are_the_views_sums_per_model_to_the_last_bit()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 90), CancellationToken.None);
        await _db.RunAsync();
        var from = AttributionData.Day0.UtcDateTime.AddDays(5);
        var range = new TimeRange(from, from.AddDays(10));
        var compared = 0;
        foreach (var models in new IReadOnlyCollection<string>[]
                 {
                     AttributionModels.Names, [AttributionModels.Markov, AttributionModels.Shapley], [AttributionModels.Shapley, "linear"], ["first", "time_decay"],
                 })
        {
            foreach (var column in new[] { "channel", "source", "campaign" })
            {
                foreach (var (timeRange, channel) in new[] { (new TimeRange(null, null), (string?)null), (range, null), (new TimeRange(null, null), "Email") })
                {
                    using var connection = _db.Database.OpenReader();
                    StoredSums.Fill(connection, "w", models, column, timeRange, channel);
                    var together = Rows(connection, $"SELECT model, k, conversions, revenue FROM {StoredSums.Table}", timeRange, channel);
                    var oneByOne = Rows(connection, $"""
                        SELECT model, coalesce({column}, '(none)') AS k, sum(credit), sum(revenue_credit)
                        FROM attribution_results
                        WHERE workspace = 'w' AND model IN ({string.Join(", ", models.Select(m => $"'{m}'"))})
                          {(channel is null ? "" : "AND channel = $channel")} {timeRange.Where("conversion_ts")}
                        GROUP BY model, k
                        """, timeRange, channel);
                    Assert.Equal(oneByOne, together);
                    Assert.Equal(models.Order(StringComparer.Ordinal), together.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal));
                    compared += together.Count;
                }
            }
        }

        Assert.True(compared > 300, $"only {compared} sums compared");
    }

    [Fact]
    public async Task A_compares_answers_are_each_models_own_summary()
    {
        await _db.Store.WriteEventsAsync(_data.ShopHistory(people: 90), CancellationToken.None);
        await _db.RunAsync();
        var queries = new DuckDbAttributionQueries(_db.Database);
        var from = AttributionData.Day0.UtcDateTime.AddDays(5);
        foreach (var groupBy in AttributionGroupings.All)
        {
            foreach (var (rangeFrom, rangeTo, channel) in new (DateTime?, DateTime?, string?)[] { (null, null, null), (from, from.AddDays(10), null), (null, null, "Email") })
            {
                var compare = await queries.SummarizeAsync("w", AttributionModels.Names, groupBy, rangeFrom, rangeTo, null, channel, CancellationToken.None);
                foreach (var model in AttributionModels.Names)
                {
                    var alone = await queries.SummarizeAsync("w", [model], groupBy, rangeFrom, rangeTo, null, channel, CancellationToken.None);
                    Assert.NotEmpty(alone[model]);
                    Assert.Equal(alone[model], compare[model]);
                }
            }
        }
    }

    /// <summary>(model, key, credit, revenue credit) unrounded, in one order for both sides.</summary>
    private static List<(string Model, string Key, double Credit, double Revenue)> Rows(DuckDB.NET.Data.DuckDBConnection connection, string sql, TimeRange range,
        string? channel)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM ({sql}) ORDER BY 1, 2";
        // Only the parameters the statement names (the stored sums' table has none).
        if (channel is not null && sql.Contains("$channel", StringComparison.Ordinal)) { command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("channel", channel)); }
        if (sql.Contains("$from", StringComparison.Ordinal)) { range.Bind(command); }
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, double, double)>();
        while (reader.Read()) { rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3))); }
        return rows;
    }

    public void Dispose() => _db.Dispose();
}
