using System.Text.Json;
using System.Text.Unicode;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Parses a request body straight from UTF-8 (no intermediate DOM) in two passes. The first reads the envelope
/// (<c>writeKey</c>, <c>sentAt</c>, batch-level <c>context</c>) and finds each event's bytes; only what makes the
/// whole body unusable (not JSON, not an object, no batch) is refused whole. The second parses each event on its
/// own, so one invalid event is rejected alone and its neighbours are accepted (DESIGN "Acceptance"). Unknown
/// fields are ignored; every refusal names the JSON path of the field and the limit it broke.
/// </summary>
public static class BatchParser
{
    /// <summary>How much of the first element past the limit the summary keeps in <c>bad_events</c>.</summary>
    private const int OverflowPayloadBytes = 1024;
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = WireLimits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };

    [ThreadStatic]
    private static HashSet<string>? t_ids;

    /// <summary>A batch body: <c>{writeKey?, sentAt?, context?, batch: [event…]}</c> (<c>/v1/batch</c>, <c>/v1/b</c>).</summary>
    public static IngestError? TryParse(ReadOnlySpan<byte> body, out ParsedBatch batch) => TryParse(body, null, out batch);

    /// <summary>Both passes at once, for callers that hold no key to check in between (tests, benchmarks).</summary>
    public static IngestError? TryParse(ReadOnlySpan<byte> body, EventType? single, out ParsedBatch batch)
    {
        var error = TryReadEnvelope(body, single, out var envelope);
        batch = new ParsedBatch { WriteKey = envelope.WriteKey, SentAt = envelope.SentAt };
        return error ?? ParseEvents(body, envelope, single, batch);
    }

    /// <summary>
    /// The first pass: the envelope only, no event parsed. With <paramref name="single"/>, the body is one event of
    /// that type with the envelope fields beside its own (<c>/v1/track</c>, <c>/v1/t</c>, …).
    /// </summary>
    public static IngestError? TryReadEnvelope(ReadOnlySpan<byte> body, EventType? single, out BatchEnvelope envelope)
    {
        envelope = new BatchEnvelope();
        if (body.IsEmpty) { return IngestError.BadRequest("$", "request body is empty", "empty_body"); }
        if (!Utf8.IsValid(body)) { return IngestError.BadRequest("$", "request body is not valid UTF-8", "invalid_utf8"); }

        var reader = new Utf8JsonReader(body, s_options);
        try
        {
            var error = ReadEnvelope(ref reader, single is not null, envelope);
            if (error is null && reader.Read()) { error = IngestError.BadRequest("$", "unexpected data after the JSON object", "invalid_json"); }
            return error;
        }
        catch (InvalidOperationException ex)
        {
            // e.g. an escaped lone surrogate ("\ud800"): valid JSON syntax, not a valid string.
            return IngestError.BadRequest("$", $"invalid string at byte {reader.BytesConsumed}: {ex.Message}", "invalid_json");
        }
        catch (JsonException ex)
        {
            return ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? IngestError.BadRequest("$", $"JSON nesting deeper than the limit of {WireLimits.MaxDepth}", "too_deep")
                : IngestError.BadRequest("$", $"malformed JSON at byte {reader.BytesConsumed}: {Trim(ex.Message)}", "invalid_json");
        }
    }

    /// <summary>
    /// The second pass, once the key is known good: each located event on its own (one invalid event is rejected
    /// alone), and one <c>too_many_events</c> rejection standing for every element past the limit.
    /// </summary>
    public static IngestError? ParseEvents(ReadOnlySpan<byte> body, BatchEnvelope envelope, EventType? single, ParsedBatch batch)
    {
        batch.WriteKey = envelope.WriteKey;
        batch.SentAt = envelope.SentAt;
        var context = body[envelope.Context];
        var contextError = EventParser.CheckBatchContext(context);
        if (contextError is not null) { return contextError; }

        if (single is { } type)
        {
            ParseOne(body, new EventSource(0, envelope.SingleEvent), -1, type, context, batch, null);
            return null;
        }

        // The batch's message ids, to refuse a repeat within it: one set per thread, emptied after each batch (this pass
        // never awaits), rather than a set and its three regrowths per request (bench/RESULTS.md "Session 13").
        var ids = t_ids ??= new HashSet<string>(StringComparer.Ordinal);
        batch.Events.EnsureCapacity(batch.Events.Count + envelope.Events.Count);
        try
        {
            for (var i = 0; i < envelope.Events.Count; i++)
            {
                ParseOne(body, new EventSource(i, envelope.Events[i]), i, null, context, batch, ids);
            }
        }
        finally
        {
            // Holds no client's strings past its request.
            ids.Clear();
        }

        if (envelope.Overflow > 0)
        {
            var index = WireLimits.MaxEventsPerBatch;
            var head = body[envelope.FirstOverflow];
            var error = new IngestError(400, new FieldPath(index, "").ToString(),
                $"{envelope.Overflow} events from index {index} on were not read: send at most {WireLimits.MaxEventsPerBatch} events in one batch", "too_many_events");
            batch.Rejected.Add(Reject(index, error, head.Length > OverflowPayloadBytes ? head[..OverflowPayloadBytes] : head));
        }

        return null;
    }

    /// <param name="pathIndex">The index that paths name (<c>batch[3].…</c>), -1 for a single-event body.</param>
    private static void ParseOne(ReadOnlySpan<byte> body, EventSource source, int pathIndex, EventType? single, ReadOnlySpan<byte> context,
        ParsedBatch batch, HashSet<string>? ids)
    {
        var json = body[source.Range];
        IngestError? error;
        TrackedEvent? evt = null;
        if (json.Length > WireLimits.MaxEventBytes)
        {
            error = new IngestError(413, new FieldPath(pathIndex, "").ToString(), $"event is {json.Length} bytes, over the limit of {WireLimits.MaxEventBytes} bytes", "event_too_large");
        }
        else
        {
            evt = new TrackedEvent { BatchIndex = source.Index, Source = source.Range, SentAt = batch.SentAt };
            try
            {
                error = EventParser.Parse(json, pathIndex, single, context, evt);
            }
            catch (InvalidOperationException ex)
            {
                // e.g. an escaped lone surrogate ("\ud800"): valid JSON syntax, not a valid string.
                error = IngestError.BadRequest(new FieldPath(pathIndex, "").ToString(), "invalid string: " + ex.Message, "invalid_json");
            }
            if (error is null && ids is not null && !ids.Add(evt.MessageId))
            {
                error = IngestError.BadRequest(new FieldPath(pathIndex, "messageId").ToString(), $"duplicates the messageId '{evt.MessageId}' of an earlier event in this batch", "duplicate_message_id");
            }
        }

        if (error is null) { batch.Events.Add(evt!); }
        else { batch.Rejected.Add(Reject(source.Index, error, json)); }
    }

    /// <summary>A rejection with the event's JSON, PII hashed, to keep in <c>bad_events</c>.</summary>
    public static RejectedEvent Reject(int index, IngestError error, ReadOnlySpan<byte> json)
    {
        // Far past the bad-event payload cap there is nothing worth walking: keep the head only.
        var kept = json.Length > WireLimits.MaxEventBytes ? json[..WireLimits.MaxEventBytes] : json;
        return new RejectedEvent(index, error.Field, error.Reason, error.Detail, PiiRedactor.Redact(kept));
    }

    private static IngestError? ReadEnvelope(ref Utf8JsonReader reader, bool single, BatchEnvelope envelope)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return IngestError.BadRequest("$", "body must be a JSON object", "invalid_json");
        }

        var rootStart = (int)reader.TokenStartIndex;
        var sawBatch = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("writeKey"u8))
            {
                reader.Read();
                var error = JsonFields.ReadString(ref reader, "writeKey", WireLimits.MaxIdLength, out var key);
                if (error is not null) { return error; }
                envelope.WriteKey = key;
            }
            else if (reader.ValueTextEquals("sentAt"u8))
            {
                reader.Read();
                var error = JsonFields.ReadTimestamp(ref reader, "sentAt", out var sentAt);
                if (error is not null) { return error; }
                envelope.SentAt = sentAt;
            }
            else if (!single && reader.ValueTextEquals("context"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                envelope.Context = start..(int)reader.BytesConsumed;
            }
            else if (!single && reader.ValueTextEquals("batch"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return IngestError.BadRequest("batch", $"must be an array of events, got {JsonFields.Describe(reader.TokenType)}", "invalid_type");
                }

                // Past the limit an element is skipped and counted: nothing is kept per element a client adds.
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    if (envelope.Events.Count < WireLimits.MaxEventsPerBatch) { envelope.Events.Add(start..(int)reader.BytesConsumed); }
                    else if (envelope.Overflow++ == 0) { envelope.FirstOverflow = start..(int)reader.BytesConsumed; }
                }

                sawBatch = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (single)
        {
            envelope.SingleEvent = rootStart..(int)reader.BytesConsumed;
            return null;
        }

        if (!sawBatch) { return IngestError.BadRequest("batch", "field is required: an array of 1 to 500 events", "missing_field"); }
        return envelope.Events.Count == 0 ? IngestError.BadRequest("batch", "batch is empty: send 1 to 500 events", "empty_batch") : null;
    }

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private readonly record struct EventSource(int Index, Range Range);
}
