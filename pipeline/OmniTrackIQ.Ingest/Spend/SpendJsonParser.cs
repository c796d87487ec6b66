using System.Text.Json;
using System.Text.Unicode;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Spend.Platforms;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// Parses our own <c>{"rows":[{"date":"2026-11-01","platform":"google","campaign":"brand","spend":12.5,"currency":"EUR",
/// "impressions":1000,"clicks":50,"channel":"optional override","campaign_id":"…"}]}</c>, or an ad platform's own
/// answer, told apart by its shape: a Google Ads search (<c>{"results":[…]}</c>) or searchStream (<c>[{"results":[…]}]</c>)
/// answer, a Meta Insights page (<c>{"data":[…]}</c>) or a TikTok report page (<c>{"data":{"list":[…]}}</c>).
/// Unknown fields are ignored; every refusal names its JSON path (<c>rows[3].spend</c>, <c>data[2].spend</c>).
/// Not a hot path (an import a day), so a DOM is fine.
/// </summary>
public static class SpendJsonParser
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    public static IngestError? TryParse(ReadOnlyMemory<byte> utf8, out List<SpendRow> rows)
    {
        rows = [];
        if (utf8.IsEmpty) { return IngestError.BadRequest("$", "request body is empty", "empty_body"); }
        if (!Utf8.IsValid(utf8.Span)) { return IngestError.BadRequest("$", "request body is not valid UTF-8", "invalid_utf8"); }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            return IngestError.BadRequest("$", $"malformed JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})", "invalid_json");
        }

        using (document)
        {
            var set = new SpendRowSet();
            var error = ParseRoot(document.RootElement, set);
            if (error is not null) { return error; }
            rows = set.Rows;
            return null;
        }
    }

    /// <summary>Counts one more row of a platform export, refusing with 413 past <see cref="SpendLimits.MaxRows"/>.</summary>
    internal static IngestError? CountRow(SpendRowRef at, ref int count) =>
        ++count > SpendLimits.MaxRows
            ? new IngestError(413, at.Row, $"more than the limit of {SpendLimits.MaxRows} rows in one file or request", "too_many_rows")
            : null;

    private static IngestError? ParseRoot(JsonElement root, SpendRowSet set)
    {
        var count = 0;
        if (root.ValueKind == JsonValueKind.Array) { return GoogleAdsSpendRows.ReadStream(root, set, ref count); }
        if (root.ValueKind != JsonValueKind.Object) { return NotSpend(); }
        if (root.TryGetProperty("rows", out var array)) { return ParseOwnRows(array, set); }
        if (root.TryGetProperty("results", out _)) { return GoogleAdsSpendRows.ReadResults(root, "results", set, ref count); }
        if (root.TryGetProperty("error", out _)) { return IngestError.BadRequest("error", "the file is the platform's error answer, not a report", "platform_error"); }
        if (root.TryGetProperty("data", out var data))
        {
            if (data.ValueKind == JsonValueKind.Array) { return MetaInsightsSpendRows.Read(data, set, ref count); }
            if (data.ValueKind == JsonValueKind.Object) { return TikTokSpendRows.Read(root, data, set, ref count); }
            return IngestError.BadRequest("data", "must be an array (Meta Insights) or an object with a list (TikTok report)", "invalid_field");
        }

        // A TikTok error answer has a non-zero code and no data.
        if (root.TryGetProperty("code", out _)) { return TikTokSpendRows.Read(root, default, set, ref count); }
        return NotSpend();
    }

    private static IngestError NotSpend() => IngestError.BadRequest("$",
        "must be {\"rows\": [...]}, a Google Ads search or searchStream answer, a Meta Insights page {\"data\": [...]} or a TikTok report page {\"data\": {\"list\": [...]}}",
        "unknown_format");

    private static IngestError? ParseOwnRows(JsonElement array, SpendRowSet set)
    {
        if (array.ValueKind != JsonValueKind.Array) { return IngestError.BadRequest("rows", "must be an array", "invalid_field"); }
        var count = array.GetArrayLength();
        if (count > SpendLimits.MaxRows)
        {
            return new IngestError(413, "rows", $"{count} rows are over the limit of {SpendLimits.MaxRows} a request", "too_many_rows");
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = new SpendRowRef(index++, IsCsvLine: false);
            var error = ParseRow(at, element, out var row) ?? set.Add(at, row!);
            if (error is not null) { return error; }
        }

        return null;
    }

    private static IngestError? ParseRow(SpendRowRef at, JsonElement element, out SpendRow? row)
    {
        row = null;
        if (element.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(at.Row, "must be an object", "invalid_field"); }
        string? date = null, platform = null, campaign = null, currency = null, channel = null, campaignId = null;
        decimal? spend = null;
        long? impressions = null, clicks = null;
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            var error = property.Name switch
            {
                "date" => Text(at, "date", value, out date),
                "platform" => Text(at, "platform", value, out platform),
                "campaign" => Text(at, "campaign", value, out campaign),
                "currency" => Text(at, "currency", value, out currency),
                "channel" => Text(at, "channel", value, out channel),
                "campaign_id" => Text(at, "campaign_id", value, out campaignId),
                "spend" => Amount(at, value, out spend),
                "impressions" => Count(at, "impressions", value, out impressions),
                "clicks" => Count(at, "clicks", value, out clicks),
                _ => null,
            };
            if (error is not null) { return error; }
        }

        var refused = SpendRowBuilder.Build(at, date, platform, campaign, spend, currency, impressions, clicks, channel, out var built);
        return refused ?? SpendRowBuilder.WithLevels(at, built!, campaignId, null, null, null, null, out row);
    }

    private static IngestError? Text(SpendRowRef at, string field, JsonElement value, out string? text)
    {
        text = null;
        if (value.ValueKind == JsonValueKind.Null) { return null; }
        if (value.ValueKind != JsonValueKind.String) { return SpendRowBuilder.Bad(at, field, "must be a string", "invalid_field"); }
        try
        {
            text = value.GetString();
            return null;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") is valid JSON syntax but not a string.
            return SpendRowBuilder.Bad(at, field, "is not a valid Unicode string", "invalid_field");
        }
    }

    private static IngestError? Amount(SpendRowRef at, JsonElement value, out decimal? spend)
    {
        spend = null;
        if (value.ValueKind == JsonValueKind.Null) { return null; }
        if (value.ValueKind != JsonValueKind.Number) { return SpendRowBuilder.Bad(at, "spend", "must be a number", "invalid_spend"); }
        if (value.TryGetDecimal(out var amount))
        {
            if (!Events.MoneyLimits.Fits(amount)) { return SpendRowBuilder.Bad(at, "spend", Events.MoneyLimits.Reason, "invalid_spend"); }
            spend = amount;
            return null;
        }

        return SpendRowBuilder.Bad(at, "spend", "is not a representable amount", "invalid_spend");
    }

    private static IngestError? Count(SpendRowRef at, string field, JsonElement value, out long? count)
    {
        count = null;
        if (value.ValueKind == JsonValueKind.Null) { return null; }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            count = number;
            return null;
        }

        return SpendRowBuilder.NotCount(at, field);
    }
}
