using System.Text.Json;
using System.Text.Unicode;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// Parses <c>{"rows":[{"date":"2026-11-01","platform":"google","campaign":"brand","spend":12.5,"currency":"EUR",
/// "impressions":1000,"clicks":50,"channel":"optional override"}]}</c>. Unknown fields are ignored; every refusal
/// names its JSON path (<c>rows[3].spend</c>). Not a hot path (an import a day), so a DOM is fine.
/// </summary>
public static class SpendJsonParser
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow };

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
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest("$", "must be a JSON object with a \"rows\" array", "invalid_json"); }
            if (!root.TryGetProperty("rows", out var array)) { return IngestError.BadRequest("rows", "is required", "missing_field"); }
            if (array.ValueKind != JsonValueKind.Array) { return IngestError.BadRequest("rows", "must be an array", "invalid_field"); }
            var count = array.GetArrayLength();
            if (count > SpendLimits.MaxRows)
            {
                return new IngestError(413, "rows", $"{count} rows are over the limit of {SpendLimits.MaxRows} a request", "too_many_rows");
            }

            var set = new SpendRowSet();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var at = new SpendRowRef(index++, IsCsvLine: false);
                var error = ParseRow(at, element, out var row) ?? set.Add(at, row!);
                if (error is not null) { return error; }
            }

            rows = set.Rows;
            return null;
        }
    }

    private static IngestError? ParseRow(SpendRowRef at, JsonElement element, out SpendRow? row)
    {
        row = null;
        if (element.ValueKind != JsonValueKind.Object) { return IngestError.BadRequest(at.Row, "must be an object", "invalid_field"); }
        string? date = null, platform = null, campaign = null, currency = null, channel = null;
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
                "spend" => Amount(at, value, out spend),
                "impressions" => Count(at, "impressions", value, out impressions),
                "clicks" => Count(at, "clicks", value, out clicks),
                _ => null,
            };
            if (error is not null) { return error; }
        }

        return SpendRowBuilder.Build(at, date, platform, campaign, spend, currency, impressions, clicks, channel, out row);
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
