using System.Globalization;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Typed reads of one JSON value with the refusal that names the field when the type or size is wrong.</summary>
internal static class JsonFields
{
    public static IngestError? ReadString(ref Utf8JsonReader reader, FieldPath field, int maxLength, out string? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (length > maxLength * 6L)
                {
                    return IngestError.BadRequest(field.ToString(), $"string longer than the limit of {maxLength} characters", "string_too_long");
                }

                value = reader.GetString();
                if (value!.Length > maxLength)
                {
                    value = null;
                    return IngestError.BadRequest(field.ToString(), $"string longer than the limit of {maxLength} characters", "string_too_long");
                }

                if (value.Length == 0)
                {
                    value = null;
                }

                return null;
            default:
                return IngestError.BadRequest(field.ToString(), $"must be a string, got {Describe(reader.TokenType)}", "invalid_type");
        }
    }

    /// <summary>
    /// Free text (titles, URLs, referrers, campaign values, user agents): a value over <paramref name="maxBytes"/>
    /// UTF-8 bytes is cut at the last whole character that fits and the field is flagged on the event
    /// (<c>truncated:field</c>), never refused, so a real page view with a very long title is kept.
    /// </summary>
    public static IngestError? ReadFreeText(ref Utf8JsonReader reader, FieldPath field, int maxBytes, TrackedEvent evt, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null) { return null; }
        if (reader.TokenType != JsonTokenType.String)
        {
            return IngestError.BadRequest(field.ToString(), $"must be a string, got {Describe(reader.TokenType)}", "invalid_type");
        }

        // The event is at most WireLimits.MaxEventBytes, so the whole string is bounded before it is cut.
        value = reader.GetString();
        if (string.IsNullOrEmpty(value)) { value = null; return null; }
        if (Utf8Text.Truncate(value, maxBytes) is { } cut)
        {
            value = cut;
            evt.Flag("truncated:" + field.ToString());
        }

        return null;
    }

    /// <summary>Ids may arrive as numbers (order 1001); they are kept as their invariant text.</summary>
    public static IngestError? ReadId(ref Utf8JsonReader reader, FieldPath field, out string? value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            value = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            return value.Length > WireLimits.MaxIdLength
                ? IngestError.BadRequest(field.ToString(), $"longer than the limit of {WireLimits.MaxIdLength} characters", "string_too_long")
                : null;
        }

        return ReadString(ref reader, field, WireLimits.MaxIdLength, out value);
    }

    public static IngestError? ReadTimestamp(ref Utf8JsonReader reader, FieldPath field, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return IngestError.BadRequest(field.ToString(), $"must be an ISO-8601 timestamp string, got {Describe(reader.TokenType)}", "invalid_type");
        }

        if (reader.TryGetDateTimeOffset(out var parsed))
        {
            value = parsed;
            return null;
        }

        return IngestError.BadRequest(field.ToString(), "is not an ISO-8601 timestamp (e.g. 2026-11-23T12:00:00.000Z)", "invalid_timestamp");
    }

    public static IngestError? ReadBool(ref Utf8JsonReader reader, FieldPath field, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is null && reader.TokenType != JsonTokenType.Null
            ? IngestError.BadRequest(field.ToString(), $"must be true or false, got {Describe(reader.TokenType)}", "invalid_type")
            : null;
    }

    public static IngestError? ReadDecimal(ref Utf8JsonReader reader, FieldPath field, out decimal? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        // Shops often send money as strings ("59.90").
        if ((reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var parsed))
            || (reader.TokenType == JsonTokenType.String && decimal.TryParse(reader.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out parsed)))
        {
            if (!Events.MoneyLimits.Fits(parsed)) { return IngestError.BadRequest(field.ToString(), Events.MoneyLimits.Reason, "out_of_range"); }
            value = parsed;
            return null;
        }

        return IngestError.BadRequest(field.ToString(), $"must be a number, got {Describe(reader.TokenType)}", "invalid_type");
    }

    public static IngestError? ExpectObject(ref Utf8JsonReader reader, FieldPath field) =>
        reader.TokenType == JsonTokenType.StartObject
            ? null
            : IngestError.BadRequest(field.ToString(), $"must be an object, got {Describe(reader.TokenType)}", "invalid_type");

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
