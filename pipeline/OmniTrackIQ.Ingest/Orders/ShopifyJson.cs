using System.Globalization;
using System.Text.Json;

namespace OmniTrackIQ.Pipeline.Orders;

/// <summary>
/// Reads Shopify REST JSON the way its payloads are written: null means absent, ids keep their exact digits
/// (they exceed 2^53, so a double would change them), money is a decimal string ("199.00") or, rarely, a number.
/// Each Try method is true when the value is absent or valid, false only when it is present and malformed.
/// </summary>
internal static class ShopifyJson
{
    private const NumberStyles MoneyStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>The property of an object when it is there and not null; false for a non-object too.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A string property, or null when absent, not a string or blank (Shopify sends "" for unknown emails and phones).</summary>
    public static string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    /// <summary>An id as its canonical decimal text: an unsigned integer token read as UInt64, or a string of digits.</summary>
    public static bool TryId(JsonElement obj, string name, out string? id)
    {
        id = null;
        if (!TryGet(obj, name, out var value))
        {
            return true;
        }

        // TryGetUInt64 parses the token's own digits, never going through double; "1.0" and "1e3" are refused.
        if ((value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number))
            || (value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number)))
        {
            id = number.ToString(CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    /// <summary>An amount from a decimal string or a number token, both parsed exactly as decimal.</summary>
    public static bool TryMoney(JsonElement obj, string name, out decimal? amount)
    {
        amount = null;
        if (!TryGet(obj, name, out var value))
        {
            return true;
        }

        if ((value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var parsed))
            || (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), MoneyStyle, CultureInfo.InvariantCulture, out parsed)))
        {
            amount = parsed;
            return Events.MoneyLimits.Fits(parsed); // beyond what the stores hold: unmappable, so bad_events names the field
        }

        return false;
    }

    /// <summary>An ISO 8601 time with its offset, as Shopify writes created_at ("2008-01-10T11:00:00-05:00").</summary>
    public static bool TryTimestamp(JsonElement obj, string name, out DateTimeOffset? at)
    {
        at = null;
        if (!TryGet(obj, name, out var value))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var parsed))
        {
            at = parsed;
            return true;
        }

        return false;
    }
}
