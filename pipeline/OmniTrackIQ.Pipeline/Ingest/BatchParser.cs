using System.Text.Json;
using System.Text.Unicode;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Parses and validates a <c>POST /v1/batch</c> body straight from UTF-8 (no intermediate DOM).
/// Unknown fields are ignored (forward compatibility); every refusal names the JSON path of the
/// field and the limit it broke.
/// </summary>
public static class BatchParser
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = WireLimits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    public static IngestError? TryParse(ReadOnlySpan<byte> body, out ParsedBatch batch)
    {
        batch = new ParsedBatch();
        if (body.IsEmpty)
        {
            return IngestError.BadRequest("$", "request body is empty", "empty_body");
        }

        if (!Utf8.IsValid(body))
        {
            return IngestError.BadRequest("$", "request body is not valid UTF-8", "invalid_utf8");
        }

        var reader = new Utf8JsonReader(body, s_options);
        try
        {
            var error = ParseRoot(ref reader, body, batch);
            if (error is null && reader.Read())
            {
                error = IngestError.BadRequest("$", "unexpected data after the JSON object", "invalid_json");
            }

            return error;
        }
        catch (InvalidOperationException ex)
        {
            // e.g. an escaped lone surrogate ("\ud800"): valid JSON syntax, not a valid string.
            return IngestError.BadRequest("$", $"invalid string at byte {reader.BytesConsumed}: {ex.Message}", "invalid_json");
        }
        catch (JsonException ex)
        {
            var depth = ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase);
            return depth
                ? IngestError.BadRequest("$", $"JSON nesting deeper than the limit of {WireLimits.MaxDepth}", "too_deep")
                : IngestError.BadRequest("$", $"malformed JSON at byte {reader.BytesConsumed}: {Trim(ex.Message)}", "invalid_json");
        }
    }

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static IngestError? ParseRoot(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ParsedBatch batch)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return IngestError.BadRequest("$", "body must be a JSON object", "invalid_json");
        }

        var sawBatch = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("writeKey"u8))
            {
                reader.Read();
                var error = JsonFields.ReadString(ref reader, "writeKey", WireLimits.MaxIdLength, out var key);
                if (error is not null) { return error; }
                batch.WriteKey = key;
            }
            else if (reader.ValueTextEquals("sentAt"u8))
            {
                reader.Read();
                var error = JsonFields.ReadTimestamp(ref reader, "sentAt", out var sentAt);
                if (error is not null) { return error; }
                batch.SentAt = sentAt;
            }
            else if (reader.ValueTextEquals("batch"u8))
            {
                reader.Read();
                var error = ParseEvents(ref reader, body, batch);
                if (error is not null) { return error; }
                sawBatch = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!sawBatch)
        {
            return IngestError.BadRequest("batch", "field is required: an array of 1 to 500 events", "missing_field");
        }

        return batch.Events.Count == 0
            ? IngestError.BadRequest("batch", "batch is empty: send 1 to 500 events", "empty_batch")
            : null;
    }

    private static IngestError? ParseEvents(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ParsedBatch batch)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return IngestError.BadRequest("batch", "must be an array of events", "invalid_type");
        }

        HashSet<string>? ids = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var index = batch.Events.Count;
            if (index >= WireLimits.MaxEventsPerBatch)
            {
                return new IngestError(400, "batch", $"more than {WireLimits.MaxEventsPerBatch} events in one batch (limit {WireLimits.MaxEventsPerBatch})", "too_many_events");
            }

            var start = reader.TokenStartIndex;
            var evt = new TrackedEvent();
            var error = EventParser.Parse(ref reader, body, index, evt);
            if (error is not null) { return error; }

            if (reader.BytesConsumed - start > WireLimits.MaxEventBytes)
            {
                return new IngestError(413, $"batch[{index}]", $"event is {reader.BytesConsumed - start} bytes, over the limit of {WireLimits.MaxEventBytes} bytes", "event_too_large");
            }

            ids ??= new HashSet<string>(StringComparer.Ordinal);
            if (!ids.Add(evt.MessageId))
            {
                return IngestError.BadRequest($"batch[{index}].messageId", $"duplicates the messageId '{evt.MessageId}' of an earlier event in this batch", "duplicate_message_id");
            }

            batch.Events.Add(evt);
        }

        return null;
    }
}
