using System.Text.Json;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend.Platforms;

/// <summary>
/// One page of a Meta Marketing API Insights answer (<c>GET /{object}/insights?level=campaign|adset|ad&amp;time_increment=1</c>):
/// <c>{"data":[{campaign_id, campaign_name, adset_id?, adset_name?, ad_id?, ad_name?, spend, account_currency,
/// impressions?, clicks?, date_start, date_stop}], "paging":{…}}</c>. Spend and counts are strings. Each element
/// must cover one day (date_start = date_stop, i.e. time_increment=1): a multi-day total cannot be put on a day.
/// Pages are posted one by one; <c>paging</c> is the caller's to follow. Platform "meta" (utm_source facebook).
/// </summary>
internal static class MetaInsightsSpendRows
{
    private static readonly Dictionary<string, string> s_names = new(StringComparer.Ordinal)
    {
        ["date"] = "date_start",
        ["campaign"] = "campaign_name",
        ["campaign_id"] = "campaign_id",
        ["spend"] = "spend",
        ["currency"] = "account_currency",
        ["impressions"] = "impressions",
        ["clicks"] = "clicks",
        ["ad_group_id"] = "adset_id",
        ["ad_group"] = "adset_name",
        ["ad_id"] = "ad_id",
        ["ad"] = "ad_name",
    };

    public static IngestError? Read(JsonElement data, SpendRowSet set, ref int count)
    {
        var index = 0;
        foreach (var element in data.EnumerateArray())
        {
            var at = new SpendRowRef(index++, IsCsvLine: false) { Array = "data", Names = s_names };
            var error = SpendJsonParser.CountRow(at, ref count) ?? ReadRow(at, element, out var row) ?? set.Add(at, row!);
            if (error is not null) { return error; }
        }

        return null;
    }

    private static IngestError? ReadRow(SpendRowRef at, JsonElement element, out SpendRow? row)
    {
        row = null;
        if (element.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(at.Row, "must be an Insights object", "invalid_field"); }
        var read = new PlatformFields(at);
        var start = read.Text("date", PlatformJson.Property(element, "date_start"));
        var stop = read.Text("date_stop", PlatformJson.Property(element, "date_stop"));
        var currency = read.Text("currency", PlatformJson.Property(element, "account_currency"));
        var campaignId = read.Text("campaign_id", PlatformJson.Property(element, "campaign_id"));
        var campaignName = read.Text("campaign", PlatformJson.Property(element, "campaign_name"));
        var adSetId = read.Text("ad_group_id", PlatformJson.Property(element, "adset_id"));
        var adSetName = read.Text("ad_group", PlatformJson.Property(element, "adset_name"));
        var adId = read.Text("ad_id", PlatformJson.Property(element, "ad_id"));
        var adName = read.Text("ad", PlatformJson.Property(element, "ad_name"));
        var spend = read.Amount("spend", PlatformJson.Property(element, "spend"));
        var impressions = read.Count("impressions", PlatformJson.Property(element, "impressions"));
        var clicks = read.Count("clicks", PlatformJson.Property(element, "clicks"));
        if (read.Error is { } refused) { return refused; }
        if (stop is not null && start is not null && !string.Equals(stop.Trim(), start.Trim(), StringComparison.Ordinal))
        {
            return SpendRowBuilder.Bad(at, "date_stop", $"the row covers {start.Trim()} to {stop.Trim()}; export one row a day (time_increment=1)", "not_daily");
        }

        var error = SpendRowBuilder.Build(at, start, "meta", campaignName ?? campaignId, spend, currency, impressions, clicks, null, out var built);
        return error ?? SpendRowBuilder.WithLevels(at, built!, campaignId, adSetId, adSetName, adId, adName, out row);
    }
}
