using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Reads one event's JSON into a <see cref="TrackedEvent"/> and checks its required fields. Speaks our wire format
/// and Segment's spec (README "Sending from Segment-spec clients"): <c>originalTimestamp</c>, top-level
/// <c>traits</c>, <c>name</c>, <c>previousId</c>, <c>groupId</c>, page facts in <c>properties</c>, and the
/// e-commerce spec's <c>Order Completed</c> as a conversion.
/// </summary>
internal static class EventParser
{
    /// <summary>Segment's e-commerce spec event that is an order.</summary>
    public const string OrderCompleted = "Order Completed";

    private static readonly JsonReaderOptions s_options = new() { MaxDepth = WireLimits.MaxDepth };

    /// <summary>The batch-level context must be readable, since it becomes part of every event.</summary>
    public static IngestError? CheckBatchContext(ReadOnlySpan<byte> context)
    {
        if (context.IsEmpty) { return null; }
        var reader = new Utf8JsonReader(context, s_options);
        reader.Read();
        return ContextParser.Parse(ref reader, -1, new TrackedEvent());
    }

    /// <param name="json">The event object.</param>
    /// <param name="index">Its position in the batch (paths read <c>batch[3].…</c>), -1 for a single-event body.</param>
    /// <param name="single">The route's event type for a single-event body, else null (the event's <c>type</c> decides).</param>
    /// <param name="batchContext">The batch-level <c>context</c>, applied first so the event's own context wins.</param>
    public static IngestError? Parse(ReadOnlySpan<byte> json, int index, EventType? single, ReadOnlySpan<byte> batchContext, TrackedEvent evt)
    {
        if (!batchContext.IsEmpty)
        {
            var context = new Utf8JsonReader(batchContext, s_options);
            context.Read();
            ContextParser.Parse(ref context, -1, evt); // checked once for the whole batch
        }

        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, ""));
        if (error is not null) { return error; }

        string? type = null, messageId = null, name = null;
        DateTimeOffset? timestamp = null, originalTimestamp = null;
        var properties = default(Range);
        var traits = default(Range);
        var facts = new PropertyFacts();
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, new FieldPath(index, "type"), 32, out type); }
            else if (reader.ValueTextEquals("messageId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "messageId"), out messageId); }
            else if (reader.ValueTextEquals("anonymousId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "anonymousId"), out var v); evt.AnonymousId = v; }
            else if (reader.ValueTextEquals("userId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "userId"), out var v); evt.UserId = v; }
            else if (reader.ValueTextEquals("previousId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "previousId"), out var v); evt.PreviousId = v; }
            else if (reader.ValueTextEquals("groupId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "groupId"), out var v); evt.GroupId = v; }
            else if (reader.ValueTextEquals("event"u8)) { reader.Read(); error = JsonFields.ReadString(ref reader, new FieldPath(index, "event"), WireLimits.MaxIdLength, out var v); evt.Event = v; }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "name"), WireLimits.MaxIdLength, evt, out name); }
            else if (reader.ValueTextEquals("timestamp"u8)) { reader.Read(); error = JsonFields.ReadTimestamp(ref reader, new FieldPath(index, "timestamp"), out timestamp); }
            else if (reader.ValueTextEquals("originalTimestamp"u8)) { reader.Read(); error = JsonFields.ReadTimestamp(ref reader, new FieldPath(index, "originalTimestamp"), out originalTimestamp); }
            else if (reader.ValueTextEquals("sentAt"u8)) { reader.Read(); error = JsonFields.ReadTimestamp(ref reader, new FieldPath(index, "sentAt"), out var v); evt.SentAt = v ?? evt.SentAt; }
            else if (reader.ValueTextEquals("properties"u8)) { reader.Read(); error = ReadProperties(ref reader, index, evt, ref facts, out properties); }
            else if (reader.ValueTextEquals("traits"u8)) { reader.Read(); error = SpanOfObject(ref reader, new FieldPath(index, "traits"), out traits); }
            else if (reader.ValueTextEquals("context"u8)) { reader.Read(); error = ContextParser.Parse(ref reader, index, evt); }
            else { reader.Read(); reader.Skip(); }
        }

        if (error is not null) { return error; }

        var eventType = single;
        if (eventType is null)
        {
            if (type is null) { return IngestError.BadRequest(new FieldPath(index, "type").ToString(), "field is required: one of page, track, identify, conversion, screen, group, alias", "missing_field"); }
            if (!TryParseType(type, out var parsed)) { return IngestError.BadRequest(new FieldPath(index, "type").ToString(), $"unknown type '{type}': expected one of page, track, identify, conversion, screen, group, alias", "invalid_type"); }
            eventType = parsed;
        }

        evt.Type = eventType.Value;
        evt.Timestamp = timestamp ?? originalTimestamp;
        if (evt.Timestamp is not null) { evt.TimestampField = new FieldPath(index, timestamp is null ? "originalTimestamp" : "timestamp"); }
        // Segment makes messageId optional: the same event content, sent again, gets the same id and dedups.
        evt.MessageId = messageId ?? MessageIds.Derive(json);
        if (!properties.Equals(default(Range)))
        {
            evt.PropertiesJson = PiiRedactor.Redact(json[properties]);
        }

        error = ApplyTraits(json, traits, index, evt);
        if (error is not null) { return error; }

        facts.ApplyPage(evt);
        if (name is not null && evt.Type is EventType.Page or EventType.Screen)
        {
            evt.Event ??= name;
            if (evt.Type == EventType.Screen) { evt.PageTitle ??= name; }
        }

        return Validate(index, evt, ref facts);
    }

    private static IngestError? ApplyTraits(ReadOnlySpan<byte> json, Range traits, int index, TrackedEvent evt)
    {
        if (traits.Equals(default(Range))) { return null; }
        if (evt.Type == EventType.Group)
        {
            // A group's traits describe the account (name, plan, industry): they are its properties.
            evt.PropertiesJson = PiiRedactor.Redact(json[traits]);
            return null;
        }

        var reader = new Utf8JsonReader(json[traits], s_options);
        reader.Read();
        return ContextParser.ParseTraits(ref reader, index, inContext: false, evt);
    }

    private static IngestError? Validate(int index, TrackedEvent evt, ref PropertyFacts facts)
    {
        if (evt.AnonymousId is null && evt.UserId is null)
        {
            return IngestError.BadRequest(new FieldPath(index, "anonymousId").ToString(), "anonymousId or userId is required", "missing_field");
        }

        switch (evt.Type)
        {
            case EventType.Track when evt.Event is null:
                return IngestError.BadRequest(new FieldPath(index, "event").ToString(), "field is required for track events (e.g. add_to_cart)", "missing_field");
            case EventType.Track when evt.Event == OrderCompleted:
                // Segment's e-commerce spec: an order (order_id and an amount) is a conversion; revenue (excluding
                // shipping and tax) before total. Without them it is still an event the client sent: kept as a
                // track event, and flagged, rather than refused or counted as an order it cannot be.
                if (facts.OrderId is not null && (facts.Revenue ?? facts.Total) is not null) { evt.Type = EventType.Conversion; }
                else { evt.Flag("not_a_conversion:" + new FieldPath(index, facts.OrderId is null ? "properties.order_id" : "properties.revenue").ToString() + " missing"); }
                break;
            case EventType.Conversion when facts.OrderId is null:
                return IngestError.BadRequest(new FieldPath(index, "properties.orderId").ToString(), "field is required for conversion events: the order id is the conversion's identity", "missing_field");
            case EventType.Alias when evt.PreviousId is null || evt.UserId is null:
                return IngestError.BadRequest(new FieldPath(index, evt.PreviousId is null ? "previousId" : "userId").ToString(), "alias needs previousId and userId: the two ids of one person", "missing_field");
            case EventType.Group when evt.GroupId is null:
                return IngestError.BadRequest(new FieldPath(index, "groupId").ToString(), "field is required for group events", "missing_field");
        }

        if (evt.Type == EventType.Conversion)
        {
            evt.OrderId = facts.OrderId;
            evt.Revenue = facts.Revenue ?? facts.Total;
        }
        else
        {
            evt.Revenue = facts.Revenue;
            evt.OrderId = facts.OrderId;
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
            "screen" => EventType.Screen,
            "group" => EventType.Group,
            "alias" => EventType.Alias,
            _ => 0,
        };
        return eventType != 0;
    }

    private static IngestError? SpanOfObject(ref Utf8JsonReader reader, FieldPath path, out Range range)
    {
        range = default;
        if (reader.TokenType == JsonTokenType.Null) { return null; }
        var error = JsonFields.ExpectObject(ref reader, path);
        if (error is not null) { return error; }
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        range = start..(int)reader.BytesConsumed;
        return null;
    }

    private static IngestError? ReadProperties(ref Utf8JsonReader reader, int index, TrackedEvent evt, ref PropertyFacts facts, out Range range)
    {
        range = default;
        if (reader.TokenType == JsonTokenType.Null) { return null; }

        var error = JsonFields.ExpectObject(ref reader, new FieldPath(index, "properties"));
        if (error is not null) { return error; }

        var start = (int)reader.TokenStartIndex;
        var depth = reader.CurrentDepth;
        while (error is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            const int url = WireLimits.MaxUrlLength;
            if (reader.ValueTextEquals("revenue"u8)) { reader.Read(); error = JsonFields.ReadDecimal(ref reader, new FieldPath(index, "properties.revenue"), out facts.Revenue); }
            else if (reader.ValueTextEquals("total"u8)) { reader.Read(); error = JsonFields.ReadDecimal(ref reader, new FieldPath(index, "properties.total"), out facts.Total); }
            else if (reader.ValueTextEquals("currency"u8)) { reader.Read(); error = ReadCurrency(ref reader, new FieldPath(index, "properties.currency"), evt); }
            else if (reader.ValueTextEquals("orderId"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "properties.orderId"), out var v); facts.OrderId ??= v; }
            else if (reader.ValueTextEquals("order_id"u8)) { reader.Read(); error = JsonFields.ReadId(ref reader, new FieldPath(index, "properties.order_id"), out var v); facts.OrderId ??= v; }
            else if (reader.ValueTextEquals("url"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "properties.url"), url, evt, out facts.Url); }
            else if (reader.ValueTextEquals("referrer"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "properties.referrer"), url, evt, out facts.Referrer); }
            else if (reader.ValueTextEquals("title"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "properties.title"), WireLimits.MaxTextLength, evt, out facts.Title); }
            else if (reader.ValueTextEquals("path"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "properties.path"), url, evt, out facts.Path); }
            else if (reader.ValueTextEquals("search"u8)) { reader.Read(); error = JsonFields.ReadFreeText(ref reader, new FieldPath(index, "properties.search"), url, evt, out facts.Search); }
            else { reader.Read(); reader.Skip(); }
        }

        if (error is null && reader.CurrentDepth == depth) { range = start..(int)reader.BytesConsumed; }
        return error;
    }

    private static IngestError? ReadCurrency(ref Utf8JsonReader reader, FieldPath path, TrackedEvent evt)
    {
        var error = JsonFields.ReadString(ref reader, path, 3, out var currency);
        if (error is not null) { return error; }

        if (currency is not null && (currency.Length != 3 || !IsAsciiLetters(currency)))
        {
            return IngestError.BadRequest(path.ToString(), "must be an ISO 4217 code of 3 letters (e.g. EUR)", "invalid_currency");
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

    /// <summary>What <c>properties</c> says that has a column: money and order id, and Segment's page facts.</summary>
    private struct PropertyFacts
    {
        public decimal? Revenue;
        public decimal? Total;
        public string? OrderId;
        public string? Url;
        public string? Referrer;
        public string? Title;
        public string? Path;
        public string? Search;

        /// <summary><c>context.page</c> wins; <c>properties</c> fills what it left out (Segment's page calls put them there).</summary>
        public readonly void ApplyPage(TrackedEvent evt)
        {
            evt.PageUrl ??= Url ?? PageUrls.FromPath(Path, Search);
            evt.PageReferrer ??= Referrer;
            evt.PageTitle ??= Title;
        }
    }
}
