using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// The demo's daily spend as each platform's reporting API answers it (the shapes of the fixtures in
/// tests/OmniTrackIQ.Pipeline.Tests/Spend/Fixtures), so it goes through the same parsers as a real export.
/// </summary>
internal static class DemoSpendReports
{
    /// <summary>Google Ads API <c>search</c>: GoogleAdsRow results in REST camelCase, cost in micros as a string.</summary>
    public static byte[] Google(Random random, DateOnly first, DateOnly last) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("results");
        foreach (var (campaign, day, spend) in Days(DemoCampaigns.Google, random, first, last))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("customer");
            writer.WriteString("resourceName", "customers/5550001111");
            writer.WriteString("currencyCode", "USD");
            writer.WriteEndObject();
            writer.WriteStartObject("campaign");
            writer.WriteString("resourceName", "customers/5550001111/campaigns/" + campaign.Id);
            writer.WriteString("name", campaign.Name);
            writer.WriteString("id", campaign.Id);
            writer.WriteEndObject();
            writer.WriteStartObject("metrics");
            writer.WriteString("costMicros", ((long)(spend * 1_000_000m)).ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteStartObject("segments");
            writer.WriteString("date", Date(day));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>Meta Insights with <c>time_increment=1</c>: spend as a string, one day per row, and the paging object.</summary>
    public static byte[] Meta(Random random, DateOnly first, DateOnly last) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var (campaign, day, spend) in Days(DemoCampaigns.Meta, random, first, last))
        {
            writer.WriteStartObject();
            writer.WriteString("campaign_id", campaign.Id);
            writer.WriteString("campaign_name", campaign.Name);
            writer.WriteString("spend", spend.ToString("F2", CultureInfo.InvariantCulture));
            writer.WriteString("account_currency", "USD");
            writer.WriteString("date_start", Date(day));
            writer.WriteString("date_stop", Date(day));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("paging");
        writer.WriteStartObject("cursors");
        writer.WriteString("before", "MAZDZD");
        writer.WriteString("after", "MjQZD");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    /// <summary>TikTok Business API report page: <c>data.list[]</c> of dimensions and string metrics.</summary>
    public static byte[] TikTok(Random random, DateOnly first, DateOnly last) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("code", 0);
        writer.WriteString("message", "OK");
        writer.WriteStartObject("data");
        writer.WriteStartArray("list");
        foreach (var (campaign, day, spend) in Days(DemoCampaigns.TikTok, random, first, last))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("dimensions");
            writer.WriteString("campaign_id", campaign.Id);
            writer.WriteString("stat_time_day", Date(day) + " 00:00:00");
            writer.WriteEndObject();
            writer.WriteStartObject("metrics");
            writer.WriteString("spend", spend.ToString("F2", CultureInfo.InvariantCulture));
            writer.WriteString("campaign_name", campaign.Name);
            writer.WriteString("currency", "USD");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static IEnumerable<(DemoCampaign Campaign, DateOnly Day, decimal Spend)> Days(DemoCampaign[] campaigns, Random random, DateOnly first, DateOnly last)
    {
        foreach (var campaign in campaigns)
        {
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                var spend = campaign.MinDailySpend + (campaign.MaxDailySpend - campaign.MinDailySpend) * (decimal)random.NextDouble();
                yield return (campaign, day, Math.Round(spend, 2));
            }
        }
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) { write(writer); }
        return buffer.WrittenSpan.ToArray();
    }
}
