using System.Globalization;
using DuckDB.NET.Data;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;
using OmniTrackIQ.Store.DuckDb;
using OmniTrackIQ.Store.DuckDb.Attribution;
using OmniTrackIQ.Store.DuckDb.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Spend;

/// <summary>
/// ad_spend on a real DuckDB file: idempotent re-import, and spend / ROAS / CPA joined to attributed revenue
/// per channel, source and campaign. Attribution rows are written directly so the numbers are exact.
/// </summary>
public sealed class AdSpendSummaryTests : IDisposable
{
    private static readonly DateTime s_from = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_to = new(2026, 11, 8, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-spend-" + Guid.NewGuid().ToString("N"));
    private readonly DuckDbDatabase _database;
    private readonly AdSpendStore _store;
    private readonly AttributionSummary _summary;

    public AdSpendSummaryTests()
    {
        _database = new DuckDbDatabase(Path.Combine(_dir, "t.duckdb"));
        _store = new AdSpendStore(_database);
        _summary = new AttributionSummary(_database);
    }

    private static List<SpendRow> November =>
    [
        Row("2026-10-31", "google", "brand", 100m),
        Row("2026-11-01", "google", "brand", 30m),
        Row("2026-11-02", "google", "brand", 10m),
        Row("2026-11-01", "meta", "retarget", 25m),
        Row("2026-11-01", "criteo", "prospect", 5m),
        Row("2026-11-03", "google", "free", 0m),
        Row("2026-11-08", "google", "brand", 1000m), // the day `to` starts: outside [from, to)
    ];

    [Fact]
    public async Task Re_importing_the_same_rows_replaces_them_instead_of_doubling()
    {
        Assert.Equal(7, await _store.UpsertAsync("w", November, CancellationToken.None));
        Assert.Equal(7, await _store.UpsertAsync("w", November, CancellationToken.None));
        Assert.Equal((7, 1170m), Totals("w"));

        // A corrected day replaces only its own key; a new key is added.
        Assert.Equal(2, await _store.UpsertAsync("w", [Row("2026-11-01", "google", "brand", 35m), Row("2026-11-04", "google", "brand", 1m)], CancellationToken.None));
        Assert.Equal((8, 1176m), Totals("w"));
    }

    [Fact]
    public async Task Rows_of_one_key_in_one_call_add_up_and_workspaces_stay_apart()
    {
        Assert.Equal(1, await _store.UpsertAsync("w", [Row("2026-11-01", "google", "brand", 1.25m, 10, 2), Row("2026-11-01", "google", "brand", 2m, 5, null)], CancellationToken.None));
        Assert.Equal(1, await _store.UpsertAsync("v", [Row("2026-11-01", "google", "brand", 500m)], CancellationToken.None));

        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(spend AS DOUBLE), impressions, clicks, channel, currency FROM ad_spend WHERE workspace = 'w'";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((3.25, 15L, 2L, "Paid Search", "EUR"), (reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
        Assert.False(reader.Read());
        Assert.Equal((1, 500m), Totals("v"));
    }

    [Fact]
    public async Task By_channel_spend_roas_and_cpa_are_exact_and_spend_only_channels_are_listed()
    {
        await SeedAsync();

        var rows = await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Channel, s_from, s_to, CancellationToken.None);

        Assert.Equal(
            [
                new AttributionSummaryRow("Paid Search", 1.5, 130, 40, 3.25, 26.6667),
                new AttributionSummaryRow("Organic Social", 0.5, 50, null, null, null),
                new AttributionSummaryRow("Paid Other", 0, 0, 5, 0, null),
                new AttributionSummaryRow("Paid Social", 0, 0, 25, 0, null),
            ],
            rows);
    }

    [Fact]
    public async Task Open_bounds_count_every_day_of_spend()
    {
        await SeedAsync();

        var rows = await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Channel, null, null, CancellationToken.None);

        Assert.Equal(new AttributionSummaryRow("Paid Search", 1.5, 130, 1140, 0.114, 760), rows[0]);
    }

    [Fact]
    public async Task By_campaign_and_by_source_spend_meets_the_same_keys()
    {
        await SeedAsync();

        var byCampaign = await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Campaign, s_from, s_to, CancellationToken.None);
        Assert.Equal(
            [
                new AttributionSummaryRow("brand", 1.5, 130, 40, 3.25, 26.6667),
                new AttributionSummaryRow("(none)", 0.5, 50, null, null, null),
                new AttributionSummaryRow("free", 0, 0, 0, null, null),
                new AttributionSummaryRow("prospect", 0, 0, 5, 0, null),
                new AttributionSummaryRow("retarget", 0, 0, 25, 0, null),
            ],
            byCampaign);

        // meta's ads carry utm_source=facebook, so its spend sits next to facebook-sourced revenue.
        var bySource = await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Source, s_from, s_to, CancellationToken.None);
        Assert.Equal(
            [
                new AttributionSummaryRow("google", 1.5, 130, 40, 3.25, 26.6667),
                new AttributionSummaryRow("facebook", 0.5, 50, 25, 2, 50),
                new AttributionSummaryRow("criteo", 0, 0, 5, 0, null),
            ],
            bySource);
    }

    [Fact]
    public async Task Another_model_gets_the_same_spend_against_its_own_credit()
    {
        await SeedAsync();

        var rows = await _summary.SummarizeAsync("w", "last", AttributionGroupBy.Channel, s_from, s_to, CancellationToken.None);

        Assert.Equal(new AttributionSummaryRow("Paid Search", 2, 180, 40, 4.5, 20), rows[0]);
        Assert.Equal(3, rows.Count);
    }

    [Fact]
    public async Task Without_spend_the_summary_is_unchanged_and_the_spend_columns_are_null()
    {
        await SeedAttributionAsync();

        var rows = await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Channel, null, null, CancellationToken.None);

        Assert.Equal(
            [
                new AttributionSummaryRow("Paid Search", 1.5, 130, null, null, null),
                new AttributionSummaryRow("Organic Social", 0.5, 50, null, null, null),
            ],
            rows);
    }

    private async Task SeedAsync()
    {
        await _store.UpsertAsync("w", November, CancellationToken.None);
        await _store.UpsertAsync("v", [Row("2026-11-01", "google", "brand", 999m)], CancellationToken.None);
        await SeedAttributionAsync();
    }

    /// <summary>
    /// linear: order 1 split between paid search and an organic facebook referral, order 2 all paid search;
    /// last: both paid search. The summary reads the <c>attribution_results</c> relation (the runner keeps it
    /// as a view over its own tables); the test stands a table in for it, in DESIGN's columns, so the credits
    /// it joins spend to are exact inputs rather than the output of the models.
    /// </summary>
    private async Task SeedAttributionAsync()
    {
        await _summary.SummarizeAsync("w", "linear", AttributionGroupBy.Channel, null, null, CancellationToken.None); // the runner's DDL runs once, here
        await _database.WriteAsync(connection =>
        {
            using (var swap = connection.CreateCommand())
            {
                swap.CommandText = """
                    DROP VIEW IF EXISTS attribution_results;
                    CREATE TABLE attribution_results (
                        workspace VARCHAR NOT NULL, conversion_id VARCHAR NOT NULL, model VARCHAR NOT NULL, touch_index INTEGER NOT NULL,
                        channel VARCHAR NOT NULL, source VARCHAR, medium VARCHAR, campaign VARCHAR, touch_ts TIMESTAMP,
                        conversion_ts TIMESTAMP NOT NULL, credit DOUBLE NOT NULL, revenue_credit DOUBLE NOT NULL, computed_at TIMESTAMP NOT NULL);
                    """;
                swap.ExecuteNonQuery();
            }

            Insert(connection, "linear", "1", "Paid Search", "google", "brand", "2026-11-02 10:00:00", 0.5, 50);
            Insert(connection, "linear", "1", "Organic Social", "facebook", null, "2026-11-02 10:00:00", 0.5, 50);
            Insert(connection, "linear", "2", "Paid Search", "google", "brand", "2026-11-03 10:00:00", 1, 80);
            Insert(connection, "last", "1", "Paid Search", "google", "brand", "2026-11-02 10:00:00", 1, 100);
            Insert(connection, "last", "2", "Paid Search", "google", "brand", "2026-11-03 10:00:00", 1, 80);
            Insert(connection, "linear", "9", "Paid Search", "google", "brand", "2026-10-15 10:00:00", 1, 1000, workspace: "v");
            return 0;
        }, CancellationToken.None);
    }

    private static void Insert(DuckDBConnection connection, string model, string conversion, string channel, string source, string? campaign,
        string conversionTs, double credit, double revenue, string workspace = "w")
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO attribution_results (workspace, conversion_id, model, touch_index, channel, source, medium, campaign, touch_ts, conversion_ts, credit, revenue_credit, computed_at)
            VALUES ($ws, $id, $model, 0, $channel, $source, NULL, $campaign, NULL, CAST($ts AS TIMESTAMP), $credit, $revenue, now())
            """;
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        command.Parameters.Add(new DuckDBParameter("id", conversion));
        command.Parameters.Add(new DuckDBParameter("model", model));
        command.Parameters.Add(new DuckDBParameter("channel", channel));
        command.Parameters.Add(new DuckDBParameter("source", source));
        command.Parameters.Add(new DuckDBParameter("campaign", campaign));
        command.Parameters.Add(new DuckDBParameter("ts", conversionTs));
        command.Parameters.Add(new DuckDBParameter("credit", credit));
        command.Parameters.Add(new DuckDBParameter("revenue", revenue));
        command.ExecuteNonQuery();
    }

    private (int Rows, decimal Spend) Totals(string workspace)
    {
        using var connection = _database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(spend), 0) FROM ad_spend WHERE workspace = $ws";
        command.Parameters.Add(new DuckDBParameter("ws", workspace));
        using var reader = command.ExecuteReader();
        reader.Read();
        return (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDecimal(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    private static SpendRow Row(string date, string platform, string campaign, decimal spend, long? impressions = null, long? clicks = null) =>
        new(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture), platform, SpendPlatforms.ChannelOf(platform), campaign, spend, "EUR", impressions, clicks);

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
