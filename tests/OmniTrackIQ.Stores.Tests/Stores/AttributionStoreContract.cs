using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>A store's attribution side under test: its events, runs, analyst queries and spend.</summary>
public sealed record AttributionStoreUnderTest(IEventStore Events, IAttributionStore Runs, IAttributionQueries Queries, ISpendStore Spend);

/// <summary>
/// What every store's attribution must do (identity, journeys, every model, summary with spend, paths, coverage,
/// incremental runs), run against each store by a subclass; each test has its own workspace.
/// </summary>
public abstract class AttributionStoreContract
{
    private static readonly AttributionSettings Settings = new() { LookbackDays = 30 };

    private protected AttributionData Data { get; } = new("attr-" + Guid.NewGuid().ToString("N")[..12]);

    private string Ws => Data.Workspace;

    protected abstract Task<AttributionStoreUnderTest> OpenAsync();

    [SkippableFact]
    public async Task Devices_joined_by_identify_are_one_person_whose_first_touch_gets_the_first_touch_credit()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("phone", 0, "Paid Search", "google", "cpc", "brand"),
            Data.Identify("phone", 0.1, userId: "u1"),
            Data.Page("laptop", 2, "Email", "newsletter", "email", "november"),
            Data.Identify("laptop", 2.1, userId: "u1"),
            Data.Conversion("laptop", 3, "o-1", 100));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        Assert.Equal([("Paid Search", 1.0, 100.0)], await ChannelsAsync(s, "first"));
        Assert.Equal([("Email", 1.0, 100.0)], await ChannelsAsync(s, "last"));
        Assert.Equal([("Email", 0.5, 50.0), ("Paid Search", 0.5, 50.0)], await ChannelsAsync(s, "linear"));
        Assert.Equal([new TopPathRow("Paid Search > Email", 2, 1, 100)], await s.Queries.TopPathsAsync(Ws, 10, null, null, null, CancellationToken.None));
    }

    [SkippableFact]
    public async Task Pages_of_one_visit_are_one_touch_and_a_bot_page_is_none()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 0, "Paid Search", "google", "cpc", "brand"),
            Data.Page("a", 10 / 1440.0, "Paid Search", "google", "cpc", "brand"),
            Data.Page("a", 20 / 1440.0, "Paid Search", "google", "cpc", "brand"),
            Data.Page("a", 0.5, "Referral", "blog", "referral", null, bot: true),
            Data.Conversion("a", 1, "o-1", 40));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        Assert.Equal([new TopPathRow("Paid Search", 1, 1, 40)], await s.Queries.TopPathsAsync(Ws, 10, null, null, null, CancellationToken.None));
        Assert.Equal([("Paid Search", 1.0, 40.0)], await ChannelsAsync(s, "linear"));
    }

    [SkippableFact]
    public async Task An_order_reported_by_pixel_and_server_is_one_conversion_credited_its_net_after_a_refund()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 0, "Paid Social", "facebook", "paid", "retarget"),
            Data.Conversion("a", 1, "o-1", 120),
            Data.Conversion("a", 1.001, "o-1", 118, source: "s2s"),
            Data.Conversion("a", 2, "o-1", 0, source: "shopify", status: "partially_refunded", refunded: 20, eventName: "Refund"));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        // The server's report decides (s2s over pixel): 118 less the 20 refunded.
        Assert.Equal([("Paid Social", 1.0, 98.0)], await ChannelsAsync(s, "last"));
    }

    [SkippableFact]
    public async Task Incremental_runs_give_what_a_full_recompute_gives_for_every_model()
    {
        var s = await OpenAsync();
        var history = Data.ShopHistory(people: 50);
        await s.Events.WriteEventsAsync(history[..(history.Count / 2)], CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        await s.Events.WriteEventsAsync(history[(history.Count / 2)..], CancellationToken.None);
        var second = await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.False(second.Full);
        var incremental = await SnapshotAsync(s);

        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await SnapshotAsync(s), incremental);
        Assert.Contains("markov|channel|", incremental, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Links_arriving_in_later_ticks_join_people_as_a_full_recompute_does()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("p2", 0, "Email"), Data.Identify("p2", 0.1, userId: "u2"), Data.Conversion("p2", 2, "o-2", 80),
            Data.Page("p1", 1, "Paid Search"), Data.Identify("p1", 1.1, userId: "u1"), Data.Conversion("p1", 3, "o-1", 100),
            Data.Page("p3", 0, "Referral"), Data.Identify("p3", 0.1, emailSha256: "h3"), Data.Conversion("p3", 1, "o-3", 30));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.Equal([("Email", 1.0, 80.0), ("Paid Search", 1.0, 100.0), ("Referral", 1.0, 30.0)], await ChannelsAsync(s, "last"));

        // Two existing people joined by a new link; a link inside one person; a key first seen now, joining a person.
        await WriteAsync(s,
            Data.Identify("p1", 3.5, userId: "u2"),
            Data.Identify("p3", 3.6, emailSha256: "h3"),
            Data.Page("p4", 4, "Organic Search"), Data.Identify("p4", 4.1, emailSha256: "h3"), Data.Conversion("p4", 5, "o-4", 40));
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);
        // A chain: p5 reaches p2 through u1, p1 and u2.
        await WriteAsync(s, Data.Page("p5", 6, "Display"), Data.Identify("p5", 6.1, userId: "u1"), Data.Conversion("p5", 7, "o-5", 5),
            Data.Identify("p2", 6.5, userId: "u1")); // and a new link inside that one person
        Assert.False((await s.Runs.RunAsync(Ws, Settings, CancellationToken.None)).Full);

        // o-2 is now p1's too: its last touch is p1's Paid Search page, which came after p2's Email one.
        Assert.Equal([("Display", 1.0, 5.0), ("Organic Search", 1.0, 40.0), ("Paid Search", 2.0, 180.0), ("Referral", 1.0, 30.0)], await ChannelsAsync(s, "last"));
        var incremental = await SnapshotAsync(s);
        await s.Runs.RecomputeAsync(Ws, Settings, null, CancellationToken.None);
        Assert.Equal(await SnapshotAsync(s), incremental);
    }

    [SkippableFact]
    public async Task Re_running_with_nothing_new_recomputes_nobody_and_changes_no_result()
    {
        var s = await OpenAsync();
        await s.Events.WriteEventsAsync(Data.ShopHistory(people: 30), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        var before = await SnapshotAsync(s);
        var again = await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        Assert.Equal((0, 0, false), (again.Conversions, again.People, again.Full)); // an idle tick recomputes nobody
        Assert.Equal(before, await SnapshotAsync(s));
    }

    [SkippableFact]
    public async Task The_summary_has_spend_roas_and_cpa_and_lists_spend_without_any_result()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 4, "Paid Search", "google", "cpc", "brand"),
            Data.Conversion("a", 4.5, "o-1", 241));
        await s.Spend.UpsertAsync(Ws, AttributionData.Spend(), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var rows = (await s.Queries.SummarizeAsync(Ws, ["last"], AttributionGroupBy.Campaign, null, null, null, null, CancellationToken.None))["last"];
        Assert.Equal(new AttributionSummaryRow("brand", 1, 241, 120.5, 2, 120.5), rows[0]);
        Assert.Equal(["brand", "generic", "prospecting", "retarget"], rows.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(new AttributionSummaryRow("generic", 0, 0, 80, 0, null), rows.Single(r => r.Key == "generic"));
    }

    [SkippableFact]
    public async Task Campaign_spend_joins_revenue_whose_utm_campaign_is_the_platform_id_or_the_name_and_skips_flagged_currency()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 4, "Paid Search", "google", "cpc", "20123456789"), // {campaignid}
            Data.Conversion("a", 4.5, "o-1", 100),
            Data.Page("b", 4, "Paid Social", "facebook", "paid", "Retargeting | Nov"), // the name
            Data.Conversion("b", 4.5, "o-2", 60));
        var day = new DateOnly(2026, 10, 5);
        await s.Spend.UpsertAsync(Ws, SpendCurrency.Flag(
        [
            new SpendRow(day, "google", "Paid Search", "Brand - DE", 25m, "EUR", null, null) { CampaignId = "20123456789", AdGroupId = "1", AdId = "2" },
            new SpendRow(day, "google", "Paid Search", "Brand - DE", 15m, "EUR", null, null) { CampaignId = "20123456789", AdGroupId = "1", AdId = "3" },
            new SpendRow(day, "meta", "Paid Social", "Retargeting | Nov", 30m, "EUR", null, null) { CampaignId = "238512" },
            new SpendRow(day, "tiktok", "Paid Social", "Launch UGC", 31.5m, "USD", null, null) { CampaignId = "178" },
            new SpendRow(day, "tiktok", "Paid Social", "Launch EU", 7m, "EUR", null, null) { CampaignId = "179" },
            new SpendRow(day.AddDays(1), "google", "Paid Search", "Brand - DE", 5m, "EUR", null, null) { CampaignId = "20123456789" },
        ], "EUR", out _), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var rows = (await s.Queries.SummarizeAsync(Ws, ["last"], AttributionGroupBy.Campaign, null, null, null, null, CancellationToken.None))["last"];
        Assert.Equal(
        [
            new AttributionSummaryRow("20123456789", 1, 100, 45, 2.2222, 45),
            new AttributionSummaryRow("Retargeting | Nov", 1, 60, 30, 2, 30),
            new AttributionSummaryRow("Launch EU", 0, 0, 7, 0, null),
        ], rows);
        // By channel the USD row is not added to the shop's money either.
        var channels = (await s.Queries.SummarizeAsync(Ws, ["last"], AttributionGroupBy.Channel, null, null, null, null, CancellationToken.None))["last"];
        Assert.Equal([45.0, 37.0], channels.Select(r => r.Spend ?? -1));
        // A day without its revenue still keys the campaign by the id its clicks carry, so a daily series has one key.
        var nextDay = AttributionData.Day0.AddDays(5).UtcDateTime;
        Assert.Equal([new AttributionSummaryRow("20123456789", 0, 0, 5, 0, null)],
            (await s.Queries.SummarizeAsync(Ws, ["first"], AttributionGroupBy.Campaign, nextDay, nextDay.AddDays(1), null, null, CancellationToken.None))["first"]);
    }

    [SkippableFact]
    public async Task The_daily_summary_is_the_summary_of_each_day_in_one_read()
    {
        var s = await OpenAsync();
        await s.Events.WriteEventsAsync(Data.ShopHistory(people: 40), CancellationToken.None);
        await s.Spend.UpsertAsync(Ws, AttributionData.Spend(), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        // From midday: the first day is clipped, so its spend (whose day starts before `from`) is out, as in the summary.
        var from = AttributionData.Day0.UtcDateTime.AddHours(12);
        var to = AttributionData.Day0.UtcDateTime.AddDays(12);

        foreach (var groupBy in AttributionGroupings.All)
        {
            foreach (var model in new[] { "first", "linear", "markov" })
            {
                var daily = await s.Queries.SummarizeDailyAsync(Ws, model, groupBy, from, to, null, CancellationToken.None);
                var expected = new List<DailySummaryRow>();
                for (var start = from.Date; start < to; start = start.AddDays(1))
                {
                    var window = (From: start < from ? from : start, To: start.AddDays(1) > to ? to : start.AddDays(1));
                    var rows = (await s.Queries.SummarizeAsync(Ws, [model], groupBy, window.From, window.To, null, null, CancellationToken.None))[model];
                    expected.AddRange(rows.Select(r => new DailySummaryRow(DateOnly.FromDateTime(start), r)));
                }

                Assert.True(expected.Count > 10, $"{groupBy}/{model}: only {expected.Count} rows");
                Assert.Equal(expected.Select(Line), daily.Select(Line));
            }
        }

        static string Line(DailySummaryRow r) =>
            FormattableString.Invariant($"{r.Date:yyyy-MM-dd}|{r.Row.Key}|{r.Row.Conversions:F4}|{r.Row.Revenue:F4}|{r.Row.Spend}|{r.Row.Roas}|{r.Row.Cpa}");
    }

    [SkippableFact]
    public async Task The_date_range_filters_conversions_and_spend_alike()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 4, "Paid Search", "google", "cpc", "brand"),
            Data.Conversion("a", 4.5, "o-1", 10),
            Data.Page("b", 6, "Paid Search", "google", "cpc", "generic"),
            Data.Conversion("b", 6.5, "o-2", 20));
        await s.Spend.UpsertAsync(Ws, AttributionData.Spend(), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var from = AttributionData.Day0.AddDays(5).UtcDateTime;
        var to = AttributionData.Day0.AddDays(6).UtcDateTime;
        var rows = (await s.Queries.SummarizeAsync(Ws, ["first"], AttributionGroupBy.Campaign, from, to, null, null, CancellationToken.None))["first"];
        Assert.Equal([new AttributionSummaryRow("generic", 0, 0, 80, 0, null)], rows);
        var later = (await s.Queries.SummarizeAsync(Ws, ["first"], AttributionGroupBy.Campaign, to, null, null, null, CancellationToken.None))["first"];
        Assert.Equal([new AttributionSummaryRow("generic", 1, 20, null, null, null), new AttributionSummaryRow("prospecting", 0, 0, 33, 0, null),
            new AttributionSummaryRow("retarget", 0, 0, 60.25, 0, null)], later);
    }

    [SkippableFact]
    public async Task Coverage_counts_matched_orders_and_names_why_the_others_are_not()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 0, "Paid Search", "google", "cpc", "brand"),
            Data.Conversion("a", 1, "o-1", 10),
            Data.Conversion("b", 1, "o-2", 20),
            Data.Conversion("c", 2, "o-3", 30),
            Data.Page("c", 3, "Email", "newsletter", "email", null));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var coverage = await s.Queries.CoverageAsync(Ws, null, null, CancellationToken.None);
        Assert.Equal((3L, 1L, 0.333333, 60.0, 10.0), (coverage.Conversions, coverage.Matched, coverage.Share, coverage.Revenue, coverage.MatchedRevenue));
        Assert.Equal([new CoverageMiss("no_visit", 1, 20), new CoverageMiss("visits_only_after", 1, 30)], coverage.Misses);
    }

    [SkippableFact]
    public async Task Per_query_options_recompute_on_the_fly_and_leave_the_stored_results_alone()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 0, "Paid Search", "google", "cpc", "brand"),
            Data.Page("a", 9, "Direct"),
            Data.Conversion("a", 10, "o-1", 50));
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        var adHoc = await s.Queries.SummarizeAsync(Ws, ["first", "markov"], AttributionGroupBy.Channel, null, null, Settings with { LookbackDays = 5 }, null, CancellationToken.None);
        Assert.Equal([new AttributionSummaryRow("Direct", 1, 50, null, null, null)], adHoc["first"]);
        Assert.Equal([new AttributionSummaryRow("Direct", 1, 50, null, null, null)], adHoc["markov"]);
        Assert.Equal([("Paid Search", 1.0, 50.0)], await ChannelsAsync(s, "first"));
    }

    [SkippableFact]
    public async Task A_channel_filter_keeps_the_credit_the_model_gives_that_channels_touches_and_that_channels_spend()
    {
        var s = await OpenAsync();
        await WriteAsync(s,
            Data.Page("a", 4, "Paid Search", "google", "cpc", "brand"),
            Data.Page("a", 4.2, "Email", "newsletter", "email", "november"),
            Data.Conversion("a", 4.5, "o-1", 100),
            Data.Page("b", 4, "Email", "newsletter", "email", "november"),
            Data.Conversion("b", 4.5, "o-2", 40));
        await s.Spend.UpsertAsync(Ws, AttributionData.Spend(), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);

        async Task<List<AttributionSummaryRow>> Rows(string model, AttributionGroupBy groupBy, string channel) =>
            (await s.Queries.SummarizeAsync(Ws, [model], groupBy, null, null, null, channel, CancellationToken.None))[model];

        // Linear gives Email half of o-1 and all of o-2; Paid Search's campaigns keep their spend, the Paid Social ones are out.
        Assert.Equal([new AttributionSummaryRow("Email", 1.5, 90, null, null, null)], await Rows("linear", AttributionGroupBy.Channel, "Email"));
        Assert.Equal([new AttributionSummaryRow("brand", 0.5, 50, 120.5, 0.4149, 241), new AttributionSummaryRow("generic", 0, 0, 80, 0, null)],
            await Rows("linear", AttributionGroupBy.Campaign, "Paid Search"));
        Assert.Equal([new AttributionSummaryRow("november", 1, 40, null, null, null)], await Rows("first", AttributionGroupBy.Campaign, "Email"));
        Assert.Equal([new AttributionSummaryRow("prospecting", 0, 0, 33, 0, null), new AttributionSummaryRow("retarget", 0, 0, 60.25, 0, null)],
            (await Rows("last", AttributionGroupBy.Campaign, "Paid Social")).OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Empty(await Rows("linear", AttributionGroupBy.Source, "Referral"));
        // Paths through a channel: any step, not only the last.
        Assert.Equal([new TopPathRow("Email", 1, 1, 40), new TopPathRow("Paid Search > Email", 2, 1, 100)],
            (await s.Queries.TopPathsAsync(Ws, 10, null, null, "Email", CancellationToken.None)).OrderBy(r => r.Path, StringComparer.Ordinal));
        Assert.Equal([new TopPathRow("Paid Search > Email", 2, 1, 100)], await s.Queries.TopPathsAsync(Ws, 10, null, null, "Paid Search", CancellationToken.None));
        Assert.Empty(await s.Queries.TopPathsAsync(Ws, 10, null, null, "Paid", CancellationToken.None));
    }

    [SkippableFact]
    public async Task Filtered_by_each_channel_every_grouping_and_day_adds_up_to_that_channels_row_of_the_channel_summary()
    {
        var s = await OpenAsync();
        await s.Events.WriteEventsAsync(Data.ShopHistory(people: 40), CancellationToken.None);
        await s.Spend.UpsertAsync(Ws, AttributionData.Spend(), CancellationToken.None);
        await s.Runs.RunAsync(Ws, Settings, CancellationToken.None);
        var from = AttributionData.Day0.UtcDateTime;
        var to = from.AddDays(30);

        foreach (var adHoc in new AttributionSettings?[] { null, Settings with { LookbackDays = 5 } })
        {
            foreach (var model in new[] { "first", "last", "linear", "markov", "shapley" })
            {
                var channels = (await s.Queries.SummarizeAsync(Ws, [model], AttributionGroupBy.Channel, from, to, adHoc, null, CancellationToken.None))[model];
                Assert.True(channels.Count >= 4, $"{model}: only {channels.Count} channels");
                foreach (var row in channels)
                {
                    var only = (await s.Queries.SummarizeAsync(Ws, [model], AttributionGroupBy.Channel, from, to, adHoc, row.Key, CancellationToken.None))[model];
                    Assert.Equal([row], only);
                    foreach (var groupBy in new[] { AttributionGroupBy.Source, AttributionGroupBy.Campaign })
                    {
                        var groups = (await s.Queries.SummarizeAsync(Ws, [model], groupBy, from, to, adHoc, row.Key, CancellationToken.None))[model];
                        Assert.Equal(row.Conversions, groups.Sum(g => g.Conversions), 4);
                        Assert.Equal(row.Revenue, groups.Sum(g => g.Revenue), 3);
                        Assert.Equal(row.Spend ?? 0, groups.Sum(g => g.Spend ?? 0), 4);
                    }

                    if (adHoc is not null) { continue; }
                    var days = await s.Queries.SummarizeDailyAsync(Ws, model, AttributionGroupBy.Campaign, from, to, row.Key, CancellationToken.None);
                    Assert.Equal(row.Revenue, days.Sum(d => d.Row.Revenue), 3);
                    Assert.Equal(row.Spend ?? 0, days.Sum(d => d.Row.Spend ?? 0), 4);
                }
            }
        }
    }

    /// <summary>Every model's summary by channel, source and campaign, plus top paths and coverage, as comparable text.</summary>
    internal static async Task<string> SnapshotAsync(AttributionStoreUnderTest s, string workspace, AttributionSettings? adHoc = null)
    {
        var lines = new List<string>();
        foreach (var groupBy in AttributionGroupings.All)
        {
            var byModel = await s.Queries.SummarizeAsync(workspace, AttributionModels.Names, groupBy, null, null, adHoc, null, CancellationToken.None);
            foreach (var model in AttributionModels.Names)
            {
                foreach (var r in byModel[model])
                {
                    lines.Add(FormattableString.Invariant($"{model}|{groupBy.Name()}|{r.Key}|{r.Conversions:F6}|{r.Revenue:F4}|{r.Spend}|{r.Roas}|{r.Cpa}"));
                }
            }
        }

        if (adHoc is not null) { return string.Join('\n', lines); }
        lines.AddRange((await s.Queries.TopPathsAsync(workspace, 1000, null, null, null, CancellationToken.None)).Select(p => FormattableString.Invariant($"path|{p.Path}|{p.Touches}|{p.Conversions}|{p.Revenue:F4}")));
        var coverage = await s.Queries.CoverageAsync(workspace, null, null, CancellationToken.None);
        lines.Add(FormattableString.Invariant($"coverage|{coverage.Conversions}|{coverage.Matched}|{coverage.Share}|{coverage.Revenue}|{coverage.MatchedRevenue}|{coverage.ShopReported}"));
        lines.AddRange(coverage.Misses.Select(m => FormattableString.Invariant($"miss|{m.Reason}|{m.Conversions}|{m.Revenue}")));
        return string.Join('\n', lines);
    }

    private Task<string> SnapshotAsync(AttributionStoreUnderTest s) => SnapshotAsync(s, Ws);

    private static Task WriteAsync(AttributionStoreUnderTest s, params TrackedEvent[] events) => s.Events.WriteEventsAsync(events, CancellationToken.None);

    private async Task<List<(string, double, double)>> ChannelsAsync(AttributionStoreUnderTest s, string model) =>
        [.. (await s.Queries.SummarizeAsync(Ws, [model], AttributionGroupBy.Channel, null, null, null, null, CancellationToken.None))[model]
            .Select(r => (r.Key, r.Conversions, r.Revenue)).OrderBy(r => r.Key, StringComparer.Ordinal)];
}
