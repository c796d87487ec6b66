using System.Globalization;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>One current <c>ad_spend</c> row as a store keeps it.</summary>
public sealed record StoredSpend(DateOnly Date, string Platform, string Channel, string Campaign, decimal Spend, string Currency, long? Impressions, long? Clicks);

/// <summary>One current row's platform levels and currency flag.</summary>
public sealed record StoredLevel(DateOnly Date, string Campaign, string CampaignId, string AdGroupId, string AdGroup, string AdId, string Ad, decimal Spend, bool Flagged);

/// <summary>
/// What every <see cref="ISpendStore"/> must do, run against each store by a subclass, and the spend figures the
/// attribution summary joins (per channel, source and campaign within a range). Each test uses its own workspace.
/// </summary>
public abstract class SpendStoreContract
{
    private static readonly DateTime s_from = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_to = new(2026, 11, 8, 0, 0, 0, DateTimeKind.Utc);

    protected string Workspace { get; } = "ws-" + Guid.NewGuid().ToString("N")[..12];

    protected abstract Task<ISpendStore> OpenAsync();

    /// <summary>The workspace's current rows, in any order.</summary>
    protected abstract Task<IReadOnlyList<StoredSpend>> ReadAsync(string workspace);

    /// <summary>The workspace's current rows with their levels, in any order.</summary>
    protected abstract Task<IReadOnlyList<StoredLevel>> ReadLevelsAsync(string workspace);

    /// <summary>Spend per key as the store's attribution summary joins it.</summary>
    protected abstract Task<IReadOnlyDictionary<string, double>> SpentByAsync(string workspace, AttributionGroupBy groupBy, DateTime? from, DateTime? to);

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

    [SkippableFact]
    public async Task Re_importing_the_same_rows_replaces_them_instead_of_doubling()
    {
        var store = await OpenAsync();
        Assert.Equal(7, await store.UpsertAsync(Workspace, November, CancellationToken.None));
        Assert.Equal(7, await store.UpsertAsync(Workspace, November, CancellationToken.None));
        Assert.Equal(November.Select(Stored).OrderBy(Key), (await ReadAsync(Workspace)).OrderBy(Key));

        // A corrected day replaces only its own key; a new key is added.
        Assert.Equal(2, await store.UpsertAsync(Workspace, [Row("2026-11-01", "google", "brand", 35m), Row("2026-11-04", "google", "brand", 1m)], CancellationToken.None));
        var rows = await ReadAsync(Workspace);
        Assert.Equal(8, rows.Count);
        Assert.Equal(1176m, rows.Sum(r => r.Spend));
        Assert.Equal(35m, rows.Single(r => r.Date == Day("2026-11-01") && r.Platform == "google").Spend);
    }

    [SkippableFact]
    public async Task Rows_of_one_key_in_one_call_add_up_and_a_later_import_replaces_the_whole_row()
    {
        var store = await OpenAsync();
        Assert.Equal(1, await store.UpsertAsync(Workspace,
            [Row("2026-11-01", "google", "brand", 1.25m, 10, 2), Row("2026-11-01", "google", "brand", 2m, 5, null), Row("2026-11-01", "google", "brand", 0.0001m)],
            CancellationToken.None));
        Assert.Equal([new StoredSpend(Day("2026-11-01"), "google", "Paid Search", "brand", 3.2501m, "EUR", 15, 2)], await ReadAsync(Workspace));

        // Counts the new file lacks are gone with the old row, and its channel and currency are the row's now.
        Assert.Equal(1, await store.UpsertAsync(Workspace, [Row("2026-11-01", "google", "brand", 4m) with { Channel = "Paid Video", Currency = "USD" }], CancellationToken.None));
        Assert.Equal([new StoredSpend(Day("2026-11-01"), "google", "Paid Video", "brand", 4m, "USD", null, null)], await ReadAsync(Workspace));
        Assert.Equal(0, await store.UpsertAsync(Workspace, [], CancellationToken.None));
    }

    [SkippableFact]
    public async Task Workspaces_stay_apart()
    {
        var store = await OpenAsync();
        var other = Workspace + "-other";
        Assert.Equal(1, await store.UpsertAsync(Workspace, [Row("2026-11-01", "google", "brand", 1m)], CancellationToken.None));
        Assert.Equal(1, await store.UpsertAsync(other, [Row("2026-11-01", "google", "brand", 500m)], CancellationToken.None));

        Assert.Equal(1m, Assert.Single(await ReadAsync(Workspace)).Spend);
        Assert.Equal(500m, Assert.Single(await ReadAsync(other)).Spend);
        Assert.Equal(new Dictionary<string, double> { ["Paid Search"] = 1 }, await SpentByAsync(Workspace, AttributionGroupBy.Channel, null, null));
        Assert.Empty(await SpentByAsync(Workspace + "-none", AttributionGroupBy.Channel, null, null));
    }

    [SkippableFact]
    public async Task Spend_groups_by_channel_source_and_campaign_for_the_days_starting_in_the_range()
    {
        var store = await OpenAsync();
        await store.UpsertAsync(Workspace, November, CancellationToken.None);
        await store.UpsertAsync(Workspace, November, CancellationToken.None); // not doubled

        Assert.Equal(new Dictionary<string, double> { ["Paid Search"] = 40, ["Paid Social"] = 25, ["Paid Other"] = 5 },
            await SpentByAsync(Workspace, AttributionGroupBy.Channel, s_from, s_to));
        // meta ads carry utm_source=facebook; other platforms their own name.
        Assert.Equal(new Dictionary<string, double> { ["google"] = 40, ["facebook"] = 25, ["criteo"] = 5 },
            await SpentByAsync(Workspace, AttributionGroupBy.Source, s_from, s_to));
        Assert.Equal(new Dictionary<string, double> { ["brand"] = 40, ["retarget"] = 25, ["prospect"] = 5, ["free"] = 0 },
            await SpentByAsync(Workspace, AttributionGroupBy.Campaign, s_from, s_to));
        Assert.Equal(new Dictionary<string, double> { ["Paid Search"] = 1140, ["Paid Social"] = 25, ["Paid Other"] = 5 },
            await SpentByAsync(Workspace, AttributionGroupBy.Channel, null, null));

        // A day is in when its 00:00 is: from 11-01 12:00 starts with 11-02, to 11-03 00:00:01 still holds 11-03.
        Assert.Equal(new Dictionary<string, double> { ["brand"] = 10, ["free"] = 0 },
            await SpentByAsync(Workspace, AttributionGroupBy.Campaign, s_from.AddHours(12), new DateTime(2026, 11, 3, 0, 0, 1, DateTimeKind.Utc)));
        Assert.Equal(new Dictionary<string, double> { ["brand"] = 100 },
            await SpentByAsync(Workspace, AttributionGroupBy.Campaign, null, s_from));
        Assert.Equal(new Dictionary<string, double> { ["brand"] = 1000 },
            await SpentByAsync(Workspace, AttributionGroupBy.Campaign, s_to, null));
    }

    [SkippableFact]
    public async Task Ad_level_rows_are_kept_and_a_later_import_replaces_the_campaigns_whole_day()
    {
        var store = await OpenAsync();
        var ad = Row("2026-11-01", "meta", "Retargeting", 10m) with { CampaignId = "238", AdGroupId = "s1", AdGroup = "Cart 7d", AdId = "a1", Ad = "Carousel" };
        Assert.Equal(3, await store.UpsertAsync(Workspace,
            [ad, ad with { AdId = "a2", Ad = "Video", Spend = 5m }, ad with { Date = Day("2026-11-02"), Spend = 3m }], CancellationToken.None));
        Assert.Equal(
        [
            new StoredLevel(Day("2026-11-01"), "Retargeting", "238", "s1", "Cart 7d", "a1", "Carousel", 10m, false),
            new StoredLevel(Day("2026-11-01"), "Retargeting", "238", "s1", "Cart 7d", "a2", "Video", 5m, false),
            new StoredLevel(Day("2026-11-02"), "Retargeting", "238", "s1", "Cart 7d", "a1", "Carousel", 3m, false),
        ], (await ReadLevelsAsync(Workspace)).OrderBy(r => r.Date).ThenBy(r => r.AdId));
        Assert.Equal(new Dictionary<string, double> { ["Retargeting"] = 18 }, await SpentByAsync(Workspace, AttributionGroupBy.Campaign, null, null));

        // The first day again at campaign level: both of its ads are gone, the second day is untouched.
        Assert.Equal(1, await store.UpsertAsync(Workspace, [Row("2026-11-01", "meta", "Retargeting", 12m) with { CampaignId = "238" }], CancellationToken.None));
        Assert.Equal(
        [
            new StoredLevel(Day("2026-11-01"), "Retargeting", "238", "", "", "", "", 12m, false),
            new StoredLevel(Day("2026-11-02"), "Retargeting", "238", "s1", "Cart 7d", "a1", "Carousel", 3m, false),
        ], (await ReadLevelsAsync(Workspace)).OrderBy(r => r.Date));
        Assert.Equal(new Dictionary<string, double> { ["Paid Social"] = 15 }, await SpentByAsync(Workspace, AttributionGroupBy.Channel, null, null));
    }

    [SkippableFact]
    public async Task A_renamed_campaign_replaces_its_days_by_platform_id_and_names_without_id_stay_apart()
    {
        var store = await OpenAsync();
        await store.UpsertAsync(Workspace,
            [Row("2026-11-01", "google", "Brand", 10m) with { CampaignId = "201" }, Row("2026-11-01", "google", "Brand", 2m)], CancellationToken.None);
        await store.UpsertAsync(Workspace, [Row("2026-11-01", "google", "Brand DE", 11m) with { CampaignId = "201" }], CancellationToken.None);

        Assert.Equal(
        [
            new StoredLevel(Day("2026-11-01"), "Brand", "", "", "", "", "", 2m, false),
            new StoredLevel(Day("2026-11-01"), "Brand DE", "201", "", "", "", "", 11m, false),
        ], (await ReadLevelsAsync(Workspace)).OrderBy(r => r.CampaignId));
    }

    [SkippableFact]
    public async Task Spend_flagged_for_its_currency_is_kept_but_never_summed()
    {
        var store = await OpenAsync();
        var rows = SpendCurrency.Flag(
            [Row("2026-11-01", "google", "brand", 10m), Row("2026-11-01", "tiktok", "launch", 31.5m) with { Currency = "USD", CampaignId = "178" }], "EUR", out _);
        await store.UpsertAsync(Workspace, rows, CancellationToken.None);

        Assert.Equal(
        [
            new StoredLevel(Day("2026-11-01"), "brand", "", "", "", "", "", 10m, false),
            new StoredLevel(Day("2026-11-01"), "launch", "178", "", "", "", "", 31.5m, true),
        ], (await ReadLevelsAsync(Workspace)).OrderBy(r => r.Campaign, StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, double> { ["Paid Search"] = 10 }, await SpentByAsync(Workspace, AttributionGroupBy.Channel, null, null));
        Assert.Equal(new Dictionary<string, double> { ["brand"] = 10 }, await SpentByAsync(Workspace, AttributionGroupBy.Campaign, null, null));
    }

    private static (DateOnly, string, string) Key(StoredSpend row) => (row.Date, row.Platform, row.Campaign);

    private static StoredSpend Stored(SpendRow row) =>
        new(row.Date, row.Platform, row.Channel, row.Campaign, row.Spend, row.Currency, row.Impressions, row.Clicks);

    private static DateOnly Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static SpendRow Row(string date, string platform, string campaign, decimal spend, long? impressions = null, long? clicks = null) =>
        new(Day(date), platform, SpendPlatforms.ChannelOf(platform), campaign, spend, "EUR", impressions, clicks);
}
