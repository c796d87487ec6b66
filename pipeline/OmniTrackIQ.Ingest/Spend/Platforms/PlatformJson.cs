using System.Globalization;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Pipeline.Spend.Platforms;

/// <summary>
/// Reading the ad platforms' JSON: they send 64-bit ids and money as strings ("spend": "12.34", "costMicros":
/// "1500000"), client libraries sometimes as numbers, and field names camelCase (REST) or snake_case (client
/// libraries' JSON). Ids are read as their exact text, never through a double.
/// </summary>
internal static class PlatformJson
{
    /// <summary>The first of <paramref name="names"/> present in <paramref name="element"/> (an object), else default.</summary>
    public static JsonElement Property(JsonElement element, params ReadOnlySpan<string> names)
    {
        if (element.ValueKind != JsonValueKind.Object) { return default; }
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value)) { return value; }
        }

        return default;
    }

    /// <summary>A string, or a number's exact text; null when absent or null; false when another kind or not Unicode.</summary>
    public static bool TryText(JsonElement value, out string? text)
    {
        text = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null: return true;
            case JsonValueKind.Number: text = value.GetRawText(); return true;
            case JsonValueKind.String:
                try
                {
                    text = value.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false; // an escaped lone surrogate: valid JSON, not a string
                }

            default: return false;
        }
    }

    /// <summary>A decimal given as a JSON number or as a string of one ("12.34"); null when absent.</summary>
    public static bool TryDecimal(JsonElement value, out decimal? amount)
    {
        amount = null;
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) { return true; }
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDecimal(out var number)) { return false; }
            amount = number;
            return true;
        }

        if (value.ValueKind == JsonValueKind.String &&
            decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            amount = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A whole count given as a number or a string of digits; null when absent.</summary>
    public static bool TryCount(JsonElement value, out long? count)
    {
        count = null;
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) { return true; }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            count = number;
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            count = parsed;
            return true;
        }

        return false;
    }
}

/// <summary>
/// Reads the fields of one platform row, keeping the first refusal (naming the platform's field) so a parser can
/// read every field and then check once.
/// </summary>
internal sealed class PlatformFields(SpendRowRef at)
{
    public IngestError? Error { get; private set; }

    public string? Text(string field, JsonElement value)
    {
        if (PlatformJson.TryText(value, out var text)) { return text; }
        Error ??= SpendRowBuilder.Bad(at, field, "must be a string", "invalid_field");
        return null;
    }

    public decimal? Amount(string field, JsonElement value)
    {
        if (PlatformJson.TryDecimal(value, out var amount))
        {
            if (amount is not { } a || Events.MoneyLimits.Fits(a)) { return amount; }
            Error ??= SpendRowBuilder.Bad(at, field, Events.MoneyLimits.Reason, "invalid_spend");
            return null;
        }

        Error ??= SpendRowBuilder.Bad(at, field, "must be a decimal number (or a string of one) with a '.' separator", "invalid_spend");
        return null;
    }

    public long? Count(string field, JsonElement value)
    {
        if (PlatformJson.TryCount(value, out var count)) { return count; }
        Error ??= SpendRowBuilder.NotCount(at, field);
        return null;
    }
}
