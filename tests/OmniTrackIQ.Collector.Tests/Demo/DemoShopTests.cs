using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniTrackIQ.Collector.Demo;
using OmniTrackIQ.Collector.Tests.Spend;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests.Demo;

/// <summary>
/// The demo shop seeded through a collector's routes (on each store: see the subclasses): exact stored counts for the
/// fixed seed, attribution with revenue on every channel and spend on every platform's campaigns, and a second run
/// that the store takes as a replay (every row deduplicated, every count unchanged).
/// </summary>
public abstract class DemoShopEndToEnd : ClickHouse.StoreChoice
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestClock.Now.UtcDateTime);

    [SkippableFact]
    public async Task Demo_stores_the_exact_history_attributes_it_and_a_second_run_doubles_nothing()
    {
        await using var factory = await NewFactoryAsync(SpendClient.OnlyExplicitRuns);
        var keys = DemoKeys.LoadOrCreate(factory.DataDirectory, TestClock.Now);
        foreach (var (key, value) in DemoShop.Settings(keys, 2)) { factory.Settings[key] = value; }
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keys.ReadToken);
        var progress = new StringWriter();

        var first = await DemoSeeder.RunAsync(client, keys, new Uri("http://collector.test/"), progress, interactive: false, CancellationToken.None);

        // The fixed seed's history, pinned: a change to the generator shows here, not as a silently different demo.
        var plan = first.Plan;
        Assert.Equal((3000, 10_001, 110, 80, 105, 21), (plan.Visitors, plan.BrowserEvents - plan.SnippetOrders, plan.SnippetOrders, plan.S2sOrders, plan.ShopifyOrders, plan.Refunds));
        Assert.Equal(Today.AddDays(-59), plan.FirstDay);
        Assert.Equal(Today, plan.LastDay);
        Assert.Equal(plan.StoredRows, first.StoredEvents);
        Assert.Equal(295, first.AttributedConversions);
        Assert.Contains("100.0% 158/158 requests", progress.ToString(), StringComparison.Ordinal);
        Assert.Equal($"http://collector.test/report#token={keys.ReadToken}&from={Day(plan.FirstDay)}&to={Day(Today)}", first.ReportUrl);

        var counts = await CountsAsync(client, plan);
        Assert.Equal(10_317, counts.Events);
        Assert.Equal(10_001, counts.Pages);
        Assert.Equal(316, counts.Conversions); // 110 snippet + 80 S2S + 105 Shopify orders + 21 refund reports
        Assert.Equal(295, counts.Orders);
        Assert.Equal((110, 80, 105), (counts.PixelOrders, counts.S2sOrders, counts.ShopifyOrders));
        Assert.Equal(21, counts.RefundedOrders);
        Assert.Equal("google=120 meta=120 tiktok=120", counts.SpendRows);

        // Attribution credits every channel the visitors came from, and each platform's campaigns have spend and revenue.
        var channels = await RowsAsync(client, $"/v1/attribution/summary?groupBy=channel&model=linear&from={Day(plan.FirstDay)}&to={Day(Today.AddDays(1))}");
        foreach (var channel in (string[])["Paid Search", "Paid Social", "Organic Search", "Email", "Direct"])
        {
            Assert.True(channels.TryGetValue(channel, out var row) && row.Revenue > 0, $"no revenue for {channel}");
        }

        Assert.True(channels["Paid Search"].Spend > 0 && channels["Paid Social"].Spend > 0);
        var campaigns = await RowsAsync(client, $"/v1/attribution/summary?groupBy=campaign&model=linear&from={Day(plan.FirstDay)}&to={Day(Today.AddDays(1))}");
        foreach (var campaign in DemoCampaigns.Google.Concat(DemoCampaigns.Meta).Concat(DemoCampaigns.TikTok))
        {
            Assert.True(campaigns.TryGetValue(campaign.Id, out var row) && row.Spend > 0 && row.Revenue > 0, $"campaign {campaign.Platform} {campaign.Id}: no spend or revenue");
        }

        var metrics = factory.Services.GetRequiredService<CollectorMetrics>();
        var second = await DemoSeeder.RunAsync(client, keys, new Uri("http://collector.test/"), new StringWriter(), interactive: false, CancellationToken.None);
        Assert.Equal(plan.StoredRows, second.Plan.StoredRows);
        // The replay must have reached the store before counting, else "unchanged" would prove nothing. Shopify's
        // redeliveries (same X-Shopify-Webhook-Id) are answered 200 without reaching the spool; every other row comes again.
        var replayed = plan.StoredRows - plan.Requests.Count(r => r.Auth == DemoAuth.ShopifySignature);
        Assert.True(await SinkHasSeenAsync(metrics, plan.StoredRows + replayed), $"the sink saw {metrics.RowsWritten + metrics.RowsDeduplicated} rows of {plan.StoredRows + replayed}");
        Assert.Equal(counts, await CountsAsync(client, plan));
        Assert.Equal(first.AttributedConversions, second.AttributedConversions);
    }

    private sealed record Counts(long Events, long Pages, long Conversions, int Orders, int PixelOrders, int S2sOrders, int ShopifyOrders, int RefundedOrders, string SpendRows, decimal Spend);

    private sealed record SummaryRow(decimal Revenue, decimal Spend);

    private static async Task<Counts> CountsAsync(HttpClient client, DemoPlan plan)
    {
        using var stats = JsonDocument.Parse(await client.GetStringAsync("/v1/events/stats"));
        var byType = stats.RootElement.GetProperty("byType");
        int orders = 0, pixel = 0, s2s = 0, shopify = 0, refunded = 0;
        string? cursor = null;
        do
        {
            var page = $"/v1/orders?limit=1000&from={Day(plan.FirstDay.AddDays(-1))}&to={Day(plan.LastDay.AddDays(1))}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var answer = JsonDocument.Parse(await client.GetStringAsync(page));
            foreach (var order in answer.RootElement.GetProperty("orders").EnumerateArray())
            {
                orders++;
                var sources = order.GetProperty("sources").EnumerateArray().Select(s => s.GetString()).ToList();
                Assert.Single(sources);
                switch (sources[0])
                {
                    case "pixel": pixel++; break;
                    case "s2s": s2s++; break;
                    case "shopify": shopify++; break;
                }

                if (order.GetProperty("refunded").GetDecimal() > 0) { refunded++; }
            }

            cursor = answer.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        // Spend rows per platform: one per campaign and day on the daily series by campaign.
        using var daily = JsonDocument.Parse(await client.GetStringAsync($"/v1/metrics/daily?groupBy=campaign&model=linear&from={Day(plan.FirstDay)}&to={Day(plan.LastDay.AddDays(1))}"));
        var perPlatform = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var spend = 0m;
        foreach (var row in daily.RootElement.GetProperty("rows").EnumerateArray())
        {
            if (row.GetProperty("spend").ValueKind != JsonValueKind.Number) { continue; }
            var key = row.GetProperty("key").GetString();
            var campaign = DemoCampaigns.Google.Concat(DemoCampaigns.Meta).Concat(DemoCampaigns.TikTok).Single(c => c.Id == key);
            perPlatform[campaign.Platform] = perPlatform.GetValueOrDefault(campaign.Platform) + 1;
            spend += row.GetProperty("spend").GetDecimal();
        }

        return new Counts(stats.RootElement.GetProperty("total").GetInt64(), byType.GetProperty("page").GetInt64(), byType.GetProperty("conversion").GetInt64(),
            orders, pixel, s2s, shopify, refunded, string.Join(' ', perPlatform.Select(p => $"{p.Key}={p.Value}")), spend);
    }

    private static async Task<Dictionary<string, SummaryRow>> RowsAsync(HttpClient client, string path)
    {
        using var answer = JsonDocument.Parse(await client.GetStringAsync(path));
        return answer.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(
            row => row.GetProperty("key").GetString()!,
            row => new SummaryRow(row.GetProperty("revenue").GetDecimal(), row.GetProperty("spend").ValueKind == JsonValueKind.Number ? row.GetProperty("spend").GetDecimal() : 0m));
    }

    /// <summary>Bounded wait (60 s) until the sink has written or deduplicated <paramref name="rows"/> rows in all.</summary>
    private static Task<bool> SinkHasSeenAsync(CollectorMetrics metrics, long rows) =>
        Poll.UntilAsync(() => metrics.RowsWritten + metrics.RowsDeduplicated >= rows, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>On the embedded store.</summary>
public sealed class DemoShopTests : DemoShopEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => DuckDbFactoryAsync(configure);
}

/// <summary>On ClickHouse.</summary>
public sealed class ClickHouseDemoShopTests : DemoShopEndToEnd
{
    protected override Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null) => ClickHouseFactoryAsync(configure);
}
