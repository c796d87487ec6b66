using System.Text;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Reads one event object of a batch into a <see cref="TrackedEvent"/> and checks its required fields.</summary>
internal static class EventParser
{
    public static IngestError? Parse(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int index, TrackedEvent evt)
    {
        var path = $"batch[{index}]";
        var error = JsonFields.ExpectObject(ref reader, path);
        if (error is not null) { return error; }

        string? type = null;
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".type", 32, out type); }
            else if (reader.ValueTextEquals("messageId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, path + ".messageId", out var v); evt.MessageId = v ?? ""; }
            else if (reader.ValueTextEquals("anonymousId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, path + ".anonymousId", out var v); evt.AnonymousId = v; }
            else if (reader.ValueTextEquals("userId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, path + ".userId", out var v); evt.UserId = v; }
            else if (reader.ValueTextEquals("event"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, path + ".event", WireLimits.MaxIdLength, out var v); evt.Event = v; }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); error = JsonFields.ReadTimestamp(ref reader, path + ".timestamp", out var v); evt.Timestamp = v; }
            else if (reader.ValueTextEquals("properties"u8)) { reader.Read(); error = ParseProperties(ref reader, body, path + ".properties", evt); }
            else if (reader.ValueTextEquals("context"u8)) { reader.Read(); error = ContextParser.Parse(ref reader, path + ".context", evt); }
            else { reader.Read(); reader.Skip(); }
        }

        return error ?? Validate(path, type, evt);
    }

    private static IngestError? Validate(string path, string? type, TrackedEvent evt)
    {
        if (type is null)
        {
            return IngestError.BadRequest(path + ".type", "field is required: one of page, track, identify, conversion", "missing_field");
        }

        if (!TryParseType(type, out var eventType))
        {
            return IngestError.BadRequest(path + ".type", $"unknown type '{type}': expected one of page, track, identify, conversion", "invalid_type");
        }

        evt.Type = eventType;
        if (evt.MessageId.Length == 0)
        {
            return IngestError.BadRequest(path + ".messageId", "field is required: a client-generated unique id (the dedup key)", "missing_field");
        }

        if (evt.AnonymousId is null && evt.UserId is null)
        {
            return IngestError.BadRequest(path + ".anonymousId", "anonymousId or userId is required", "missing_field");
        }

        if (eventType == EventType.Track && evt.Event is null)
        {
            return IngestError.BadRequest(path + ".event", "field is required for track events (e.g. add_to_cart)", "missing_field");
        }

        if (eventType == EventType.Conversion && evt.OrderId is null)
        {
            return IngestError.BadRequest(path + ".properties.orderId", "field is required for conversion events: the order id is the conversion's identity", "missing_field");
        }

        return null;
    }

    public static bool TryParseType(string type, out EventType eventType)
    {
        eventType = type switch
        {
            "page" => EventType.Page,
            "track" => EventType.Track,
            "identify" => EventType.Identify,
            "conversion" => EventType.Conversion,
            _ => 0,
        };
        return eventType != 0;
    }

    private static IngestError? ParseProperties(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, TrackedEvent evt)
    {
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, path);
        if (error is not null) { return error; }

        var start = (int)reader.TokenStartIndex;
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("revenue"u8)) { reader.Read(); error = JsonFields.ReadDecimal(ref reader, path + ".revenue", out var v); evt.Revenue = v; }
            else if (reader.ValueTextEquals("currency"u8)) { reader.Read(); error = ReadCurrency(ref reader, path + ".currency", evt); }
            else if (reader.ValueTextEquals("orderId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, path + ".orderId", out var v); evt.OrderId = v; }
            else { reader.Read(); reader.Skip(); }
        }

        if (error is null)
        {
            evt.PropertiesJson = Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
        }

        return error;
    }

    private static IngestError? ReadCurrency(ref Utf8JsonReader reader, string path, TrackedEvent evt)
    {
        var error = JsonFields.ReadString(ref reader, path, 3, out var currency);
        if (error is not null) { return error; }

        if (currency is not null && (currency.Length != 3 || !IsAsciiLetters(currency)))
        {
            return IngestError.BadRequest(path, "must be an ISO 4217 code of 3 letters (e.g. EUR)", "invalid_currency");
        }

        evt.Currency = currency?.ToUpperInvariant();
        return null;
    }

    private static bool IsAsciiLetters(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetter(c)) { return false; }
        }

        return true;
    }
}
