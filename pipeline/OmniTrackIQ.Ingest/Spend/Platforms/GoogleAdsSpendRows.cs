using System.Text.Json;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend.Platforms;

/// <summary>
/// Google Ads API rows (GoogleAdsService search or searchStream, REST JSON): a search answer is
/// <c>{"results":[GoogleAdsRow…], "nextPageToken"…}</c>, a searchStream answer an array of such batches. A row of a
/// GAQL query selecting <c>campaign.id, campaign.name, segments.date, metrics.cost_micros, customer.currency_code</c>
/// (optionally <c>ad_group.id, ad_group.name, ad_group_ad.ad.id, ad_group_ad.ad.name, metrics.impressions,
/// metrics.clicks</c>) becomes one spend row of platform "google". Cost is in micros of the account currency;
/// int64 fields come as strings. Both the REST names (costMicros) and the proto names (cost_micros) are read.
/// </summary>
internal static class GoogleAdsSpendRows
{
    private static readonly Dictionary<string, string> s_names = new(StringComparer.Ordinal)
    {
        ["date"] = "segments.date",
        ["campaign"] = "campaign.name",
        ["campaign_id"] = "campaign.id",
        ["spend"] = "metrics.costMicros",
        ["currency"] = "customer.currencyCode",
        ["impressions"] = "metrics.impressions",
        ["clicks"] = "metrics.clicks",
        ["ad_group_id"] = "adGroup.id",
        ["ad_group"] = "adGroup.name",
        ["ad_id"] = "adGroupAd.ad.id",
        ["ad"] = "adGroupAd.ad.name",
    };

    /// <summary>A searchStream answer: every batch's results, paths <c>[batch].results[row]</c>.</summary>
    public static IngestError? ReadStream(JsonElement batches, SpendRowSet set, ref int count)
    {
        var b = 0;
        foreach (var batch in batches.EnumerateArray())
        {
            var path = $"[{b++}]";
            if (batch.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(path, "must be a searchStream batch object with \"results\"", "invalid_field"); }
            var error = ReadResults(batch, path + ".results", set, ref count);
            if (error is not null) { return error; }
        }

        return null;
    }

    /// <summary>One search answer or stream batch: its <c>results</c> array (absent when the query matched nothing).</summary>
    public static IngestError? ReadResults(JsonElement answer, string path, SpendRowSet set, ref int count)
    {
        if (!answer.TryGetProperty("results", out var results)) { return null; }
        if (results.ValueKind != JsonValueKind.Array) { return IngestError.BadRequest(path, "must be an array", "invalid_field"); }
        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            var at = new SpendRowRef(index++, IsCsvLine: false) { Array = path, Names = s_names };
            var error = SpendJsonParser.CountRow(at, ref count) ?? ReadRow(at, result, out var row) ?? set.Add(at, row!);
            if (error is not null) { return error; }
        }

        return null;
    }

    private static IngestError? ReadRow(SpendRowRef at, JsonElement result, out SpendRow? row)
    {
        row = null;
        if (result.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(at.Row, "must be a GoogleAdsRow object", "invalid_field"); }
        var campaign = PlatformJson.Property(result, "campaign");
        var adGroup = PlatformJson.Property(result, "adGroup", "ad_group");
        var ad = PlatformJson.Property(PlatformJson.Property(result, "adGroupAd", "ad_group_ad"), "ad");
        var metrics = PlatformJson.Property(result, "metrics");
        var read = new PlatformFields(at);
        var date = read.Text("date", PlatformJson.Property(PlatformJson.Property(result, "segments"), "date"));
        var currency = read.Text("currency", PlatformJson.Property(PlatformJson.Property(result, "customer"), "currencyCode", "currency_code"));
        var campaignId = read.Text("campaign_id", PlatformJson.Property(campaign, "id"));
        var campaignName = read.Text("campaign", PlatformJson.Property(campaign, "name"));
        var adGroupId = read.Text("ad_group_id", PlatformJson.Property(adGroup, "id"));
        var adGroupName = read.Text("ad_group", PlatformJson.Property(adGroup, "name"));
        var adId = read.Text("ad_id", PlatformJson.Property(ad, "id"));
        var adName = read.Text("ad", PlatformJson.Property(ad, "name"));
        var micros = read.Amount("spend", PlatformJson.Property(metrics, "costMicros", "cost_micros"));
        var impressions = read.Count("impressions", PlatformJson.Property(metrics, "impressions"));
        var clicks = read.Count("clicks", PlatformJson.Property(metrics, "clicks"));
        if (read.Error is { } refused) { return refused; }
        if (micros is not { } m) { return SpendRowBuilder.Missing(at, "spend"); }
        var error = SpendRowBuilder.Build(at, date, "google", campaignName ?? campaignId, m / 1_000_000m, currency, impressions, clicks, null, out var built);
        return error ?? SpendRowBuilder.WithLevels(at, built!, campaignId, adGroupId, adGroupName, adId, adName, out row);
    }
}
