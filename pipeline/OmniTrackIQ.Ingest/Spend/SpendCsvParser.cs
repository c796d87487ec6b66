using System.Globalization;
using System.Text;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend;

/// <summary>
/// Parses RFC 4180 CSV with a header naming the columns in any order: date, platform, campaign, spend,
/// currency (required), impressions, clicks, channel, campaign_id (optional). Quoted fields may hold commas, line breaks
/// and doubled quotes; LF or CRLF; a UTF-8 BOM and blank lines are skipped. Every refusal names the
/// physical line (the header is line 1) and the column: <c>line 4: spend</c>.
/// </summary>
public static class SpendCsvParser
{
    private static readonly string[] s_required = ["date", "platform", "campaign", "spend", "currency"];
    private static readonly string[] s_optional = ["impressions", "clicks", "channel", "campaign_id"];
    // Slots of s_required then s_optional in the header map.
    private const int DateSlot = 0, PlatformSlot = 1, CampaignSlot = 2, SpendSlot = 3, CurrencySlot = 4, ImpressionsSlot = 5, ClicksSlot = 6, ChannelSlot = 7, CampaignIdSlot = 8;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IngestError? TryParse(ReadOnlySpan<byte> utf8, out List<SpendRow> rows)
    {
        rows = [];
        string text;
        try
        {
            text = s_strictUtf8.GetString(utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8);
        }
        catch (DecoderFallbackException)
        {
            return IngestError.BadRequest("$", "the CSV is not valid UTF-8", "invalid_utf8");
        }

        var reader = new CsvRecordReader(text);
        var fields = new List<string>();
        int[]? columns = null;
        var set = new SpendRowSet();
        var count = 0;
        while (true)
        {
            var error = reader.Next(fields, out var line);
            if (error is not null) { return error; }
            if (line == 0) { break; }
            if (fields.Count == 1 && fields[0].AsSpan().Trim().IsEmpty) { continue; } // blank line

            if (columns is null)
            {
                error = ReadHeader(line, fields, out columns);
                if (error is not null) { return error; }
                continue;
            }

            if (++count > SpendLimits.MaxRows)
            {
                return new IngestError(413, $"line {line}", $"more than the limit of {SpendLimits.MaxRows} rows in one file or request", "too_many_rows");
            }

            var at = new SpendRowRef(line, IsCsvLine: true);
            error = ParseRow(at, fields, columns, out var row) ?? set.Add(at, row!);
            if (error is not null) { return error; }
        }

        if (columns is null)
        {
            return IngestError.BadRequest("line 1", "the CSV has no header; expected date,platform,campaign,spend,currency[,impressions,clicks,channel,campaign_id]", "missing_header");
        }

        rows = set.Rows;
        return null;
    }

    /// <summary>columns[i] = index in the record of the i-th name of required + optional, or -1.</summary>
    private static IngestError? ReadHeader(int line, List<string> fields, out int[] columns)
    {
        columns = new int[s_required.Length + s_optional.Length];
        Array.Fill(columns, -1);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().ToLowerInvariant();
            var slot = Array.IndexOf(s_required, name);
            if (slot < 0)
            {
                slot = Array.IndexOf(s_optional, name);
                if (slot >= 0) { slot += s_required.Length; }
            }

            if (slot < 0)
            {
                return IngestError.BadRequest($"line {line}: {fields[i].Trim()}", "unknown column; expected date, platform, campaign, spend, currency, impressions, clicks, channel, campaign_id", "unknown_column");
            }

            if (columns[slot] >= 0) { return IngestError.BadRequest($"line {line}: {name}", "column appears twice", "duplicate_column"); }
            columns[slot] = i;
        }

        for (var i = 0; i < s_required.Length; i++)
        {
            if (columns[i] < 0) { return IngestError.BadRequest($"line {line}: {s_required[i]}", "required column is missing from the header", "missing_column"); }
        }

        return null;
    }

    private static IngestError? ParseRow(SpendRowRef at, List<string> fields, int[] columns, out SpendRow? row)
    {
        row = null;
        // Every header field maps to a column (unknown ones are refused), so the header has this many fields.
        var expected = 0;
        foreach (var c in columns) { if (c >= 0) { expected++; } }
        if (fields.Count != expected)
        {
            return IngestError.BadRequest(at.Row, $"has {fields.Count} fields; the header has {expected}", "field_count");
        }

        decimal? spend = null;
        var spendText = fields[columns[SpendSlot]].Trim();
        if (spendText.Length > 0)
        {
            if (!decimal.TryParse(spendText, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            {
                return SpendRowBuilder.Bad(at, "spend", "must be a decimal number with a '.' separator, e.g. 12.50", "invalid_spend");
            }

            if (!Events.MoneyLimits.Fits(amount)) { return SpendRowBuilder.Bad(at, "spend", Events.MoneyLimits.Reason, "invalid_spend"); }
            spend = amount;
        }

        var error = Count(at, "impressions", Field(fields, columns[ImpressionsSlot]), out var impressions);
        if (error is not null) { return error; }
        error = Count(at, "clicks", Field(fields, columns[ClicksSlot]), out var clicks);
        if (error is not null) { return error; }
        error = SpendRowBuilder.Build(at, fields[columns[DateSlot]], fields[columns[PlatformSlot]], fields[columns[CampaignSlot]], spend, fields[columns[CurrencySlot]],
            impressions, clicks, Field(fields, columns[ChannelSlot]), out var built);
        return error ?? SpendRowBuilder.WithLevels(at, built!, Field(fields, columns[CampaignIdSlot]), null, null, null, null, out row);
    }

    private static string? Field(List<string> fields, int column) => column < 0 ? null : fields[column];

    private static IngestError? Count(SpendRowRef at, string field, string? text, out long? count)
    {
        count = null;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty) { return null; }
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) { return SpendRowBuilder.NotCount(at, field); }
        count = value;
        return null;
    }
}
