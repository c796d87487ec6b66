using System.Globalization;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend.Platforms;

/// <summary>
/// One page of a TikTok Business API synchronous report (<c>report/integrated/get</c>, BASIC, daily):
/// <c>{"code":0, "message":"OK", "data":{"list":[{"dimensions":{campaign_id, stat_time_day, adgroup_id?, ad_id?},
/// "metrics":{spend, campaign_name, adgroup_name?, ad_name?, currency, impressions?, clicks?}}], "page_info":{…}}}</c>.
/// Metrics are strings; stat_time_day is "yyyy-MM-dd HH:mm:ss" at midnight. A non-zero <c>code</c> is TikTok's error
/// answer, refused whole. Platform "tiktok".
/// </summary>
internal static class TikTokSpendRows
{
    private static readonly Dictionary<string, string> s_names = new(StringComparer.Ordinal)
    {
        ["date"] = "dimensions.stat_time_day",
        ["campaign"] = "metrics.campaign_name",
        ["campaign_id"] = "dimensions.campaign_id",
        ["spend"] = "metrics.spend",
        ["currency"] = "metrics.currency",
        ["impressions"] = "metrics.impressions",
        ["clicks"] = "metrics.clicks",
        ["ad_group_id"] = "dimensions.adgroup_id",
        ["ad_group"] = "metrics.adgroup_name",
        ["ad_id"] = "dimensions.ad_id",
        ["ad"] = "metrics.ad_name",
    };

    public static IngestError? Read(JsonElement root, JsonElement data, SpendRowSet set, ref int count)
    {
        if (root.TryGetProperty("code", out var code) && !(code.ValueKind == JsonValueKind.Number && code.TryGetInt64(out var c) && c == 0))
        {
            PlatformJson.TryText(PlatformJson.Property(root, "message"), out var message);
            return IngestError.BadRequest("code", $"TikTok answered {code.GetRawText()} ({message ?? "no message"}), not a report", "platform_error");
        }

        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("list", out var list)) { return IngestError.BadRequest("data.list", "is required", "missing_field"); }
        if (list.ValueKind != JsonValueKind.Array) { return IngestError.BadRequest("data.list", "must be an array", "invalid_field"); }
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            var at = new SpendRowRef(index++, IsCsvLine: false) { Array = "data.list", Names = s_names };
            var error = SpendJsonParser.CountRow(at, ref count) ?? ReadRow(at, element, out var row) ?? set.Add(at, row!);
            if (error is not null) { return error; }
        }

        return null;
    }

    private static IngestError? ReadRow(SpendRowRef at, JsonElement element, out SpendRow? row)
    {
        row = null;
        if (element.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(at.Row, "must be an object with dimensions and metrics", "invalid_field"); }
        var dimensions = PlatformJson.Property(element, "dimensions");
        var metrics = PlatformJson.Property(element, "metrics");
        var read = new PlatformFields(at);
        var day = read.Text("date", PlatformJson.Property(dimensions, "stat_time_day"));
        var currency = read.Text("currency", PlatformJson.Property(metrics, "currency"));
        var campaignId = read.Text("campaign_id", PlatformJson.Property(dimensions, "campaign_id"));
        var campaignName = read.Text("campaign", PlatformJson.Property(metrics, "campaign_name"));
        var adGroupId = read.Text("ad_group_id", PlatformJson.Property(dimensions, "adgroup_id"));
        var adGroupName = read.Text("ad_group", PlatformJson.Property(metrics, "adgroup_name"));
        var adId = read.Text("ad_id", PlatformJson.Property(dimensions, "ad_id"));
        var adName = read.Text("ad", PlatformJson.Property(metrics, "ad_name"));
        var spend = read.Amount("spend", PlatformJson.Property(metrics, "spend"));
        var impressions = read.Count("impressions", PlatformJson.Property(metrics, "impressions"));
        var clicks = read.Count("clicks", PlatformJson.Property(metrics, "clicks"));
        if (read.Error is { } refused) { return refused; }
        var date = DateOf(day);
        if (date is null && day is not null)
        {
            return SpendRowBuilder.Bad(at, "date", "must be a day as yyyy-MM-dd or yyyy-MM-dd 00:00:00 (a daily report)", "invalid_date");
        }

        var error = SpendRowBuilder.Build(at, date, "tiktok", campaignName ?? campaignId, spend, currency, impressions, clicks, null, out var built);
        return error ?? SpendRowBuilder.WithLevels(at, built!, campaignId, adGroupId, adGroupName, adId, adName, out row);
    }

    /// <summary>"2026-11-01 00:00:00" → "2026-11-01"; an hourly slice (another time of day) is not a day.</summary>
    private static string? DateOf(string? text)
    {
        if (text is null) { return null; }
        var trimmed = text.Trim();
        if (trimmed.Length == 0) { return ""; }
        if (DateTime.TryParseExact(trimmed, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            && parsed.TimeOfDay == TimeSpan.Zero)
        {
            return parsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return null;
    }
}
