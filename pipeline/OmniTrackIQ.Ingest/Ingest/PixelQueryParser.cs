using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.WebUtilities;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>
/// Reads one event from the query string of <c>GET /p.gif</c> (the &lt;img&gt; fallback of the snippet).
/// Parameter names are short because URLs are limited; README "Pixel parameters" lists them.
/// The query is read in one pass with ASP.NET Core's own <see cref="QueryStringEnumerable"/> (the enumerator behind
/// <c>HttpRequest.Query</c>), so names and values decode exactly as there ('+' is a space, %-escapes, names compared
/// ignoring case, a repeated name's first value counts), without building the request's query dictionary: only the
/// values of the parameters below become strings, and only once.
/// </summary>
public static class PixelQueryParser
{
    /// <summary>
    /// Every parameter the pixel reads; its position is its slot in <see cref="FirstValues"/>, named by the constants below,
    /// so a field is read by its slot and not by hashing its name again (issue 16: 30-odd case-insensitive name lookups a hit).
    /// </summary>
    private static readonly string[] s_names =
    [
        "wk", "t", "mid", "aid", "uid", "ev", "ts", "sa", "url", "ref", "title",
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "oid", "cur", "em", "ca", "cad", "rev",
        .. ContextParser.ClickIdNames,
    ];

    private const int Wk = 0, T = 1, Mid = 2, Aid = 3, Uid = 4, Ev = 5, Ts = 6, Sa = 7, Url = 8, Ref = 9, Title = 10;
    private const int UtmSource = 11, UtmMedium = 12, UtmCampaign = 13, UtmTerm = 14, UtmContent = 15;
    private const int Oid = 16, Cur = 17, Em = 18, Ca = 19, Cad = 20, Rev = 21, FirstClickId = 22;

    private static readonly FrozenDictionary<string, int> s_slots = s_names.Length > SlotCount
        ? throw new InvalidOperationException($"the pixel reads {s_names.Length} parameters, more than its {SlotCount} slots")
        : s_names[Rev] != "rev" || s_names[FirstClickId] != ContextParser.ClickIdNames[0]
            ? throw new InvalidOperationException("the pixel's slot constants do not match its parameter names")
            : s_names.Select((name, slot) => KeyValuePair.Create(name, slot)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_slotOfName =
        s_slots.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <param name="queryString">The request's query string, with or without its leading '?'; null or empty when it has none.</param>
    public static IngestError? TryParse(string? queryString, out string? writeKey, out DateTimeOffset? sentAt, out TrackedEvent evt)
    {
        var query = Read(queryString);
        evt = new TrackedEvent();
        sentAt = null;
        IngestError? error = null;
        writeKey = Text(query, Wk, WireLimits.MaxIdLength, ref error);

        var type = Text(query, T, 32, ref error) ?? "page";
        evt.MessageId = Text(query, Mid, WireLimits.MaxIdLength, ref error) ?? "";
        evt.AnonymousId = Text(query, Aid, WireLimits.MaxIdLength, ref error);
        evt.UserId = Text(query, Uid, WireLimits.MaxIdLength, ref error);
        evt.Event = Text(query, Ev, WireLimits.MaxIdLength, ref error);
        evt.Timestamp = Time(query, Ts, ref error);
        evt.TimestampField = "ts";
        sentAt = Time(query, Sa, ref error);
        evt.SentAt = sentAt;
        evt.PageUrl = FreeText(query, Url, WireLimits.MaxUrlLength, evt);
        evt.PageReferrer = FreeText(query, Ref, WireLimits.MaxUrlLength, evt);
        evt.PageTitle = FreeText(query, Title, WireLimits.MaxTextLength, evt);
        evt.UtmSource = FreeText(query, UtmSource, WireLimits.MaxTextLength, evt);
        evt.UtmMedium = FreeText(query, UtmMedium, WireLimits.MaxTextLength, evt);
        evt.UtmCampaign = FreeText(query, UtmCampaign, WireLimits.MaxTextLength, evt);
        evt.UtmTerm = FreeText(query, UtmTerm, WireLimits.MaxTextLength, evt);
        evt.UtmContent = FreeText(query, UtmContent, WireLimits.MaxTextLength, evt);
        for (var slot = FirstClickId; slot < s_names.Length; slot++)
        {
            var value = Text(query, slot, WireLimits.MaxTextLength, ref error);
            if (value is not null && evt.ClickIdType is null)
            {
                evt.ClickIdType = s_names[slot];
                evt.ClickId = value;
            }
        }

        evt.OrderId = Text(query, Oid, WireLimits.MaxIdLength, ref error);
        evt.Currency = Text(query, Cur, 3, ref error)?.ToUpperInvariant();
        evt.EmailSha256 = Text(query, Em, 64, ref error);
        evt.ConsentAnalytics = Flag(query, Ca, ref error);
        evt.ConsentAds = Flag(query, Cad, ref error);
        var revenue = Text(query, Rev, 64, ref error);
        if (revenue is not null)
        {
            if (decimal.TryParse(revenue, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                if (Events.MoneyLimits.Fits(amount)) { evt.Revenue = amount; }
                else { error ??= IngestError.BadRequest("rev", Events.MoneyLimits.Reason, "out_of_range"); }
            }
            else { error ??= IngestError.BadRequest("rev", "must be a decimal number (e.g. 59.90)", "invalid_type"); }
        }

        if (error is not null) { return error; }

        if (!EventParser.TryParseType(type, out var eventType))
        {
            return IngestError.BadRequest("t", $"unknown type '{type}': expected one of page, track, identify, conversion, screen, group, alias", "invalid_type");
        }

        evt.Type = eventType;
        if (writeKey is null) { return new IngestError(401, "wk", "write key is required", "missing_write_key"); }
        // A missing mid (a plain <img> in <noscript> cannot make one) is derived by the endpoint: MessageIds.ForPixel.
        if (evt.AnonymousId is null && evt.UserId is null) { return IngestError.BadRequest("aid", "aid or uid is required", "missing_field"); }
        if (eventType == EventType.Track && evt.Event is null) { return IngestError.BadRequest("ev", "field is required for track events", "missing_field"); }
        if (eventType == EventType.Conversion && evt.OrderId is null) { return IngestError.BadRequest("oid", "field is required for conversion events", "missing_field"); }
        return null;
    }

    private static string? Text(in FirstValues query, int slot, int max, ref IngestError? error)
    {
        var value = query[slot];
        if (value.IsEmpty) { return null; }

        if (value.Length > max)
        {
            error ??= IngestError.BadRequest(s_names[slot], $"longer than the limit of {max} characters", "string_too_long");
            return null;
        }

        return value.ToString();
    }

    /// <summary>Free text over its limit is cut at a whole character and flagged, as in the JSON body.</summary>
    private static string? FreeText(in FirstValues query, int slot, int maxBytes, TrackedEvent evt)
    {
        var first = query[slot];
        if (first.IsEmpty) { return null; }
        var value = first.ToString();
        if (Utf8Text.Truncate(value, maxBytes) is not { } cut) { return value; }
        evt.Flag("truncated:" + s_names[slot]);
        return cut;
    }

    private static DateTimeOffset? Time(in FirstValues query, int slot, ref IngestError? error)
    {
        var text = Text(query, slot, 64, ref error);
        if (text is null) { return null; }

        // Epoch milliseconds (Date.now()) or ISO-8601.
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms < 100_000_000_000_000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        error ??= IngestError.BadRequest(s_names[slot], "must be epoch milliseconds or an ISO-8601 timestamp", "invalid_timestamp");
        return null;
    }

    private static bool? Flag(in FirstValues query, int slot, ref IngestError? error)
    {
        var text = Text(query, slot, 5, ref error);
        switch (text)
        {
            case null: return null;
            case "1" or "true": return true;
            case "0" or "false": return false;
            default:
                error ??= IngestError.BadRequest(s_names[slot], "must be 1 or 0", "invalid_type");
                return null;
        }
    }

    /// <summary>One pass over the query: the first value of every parameter the pixel reads, still a slice of the query string when it needs no decoding.</summary>
    private static FirstValues Read(string? queryString)
    {
        var values = default(FirstValues);
        foreach (var pair in new QueryStringEnumerable(queryString))
        {
            if (s_slotOfName.TryGetValue(pair.DecodeName().Span, out var slot)) { values.SetIfFirst(slot, pair.DecodeValue()); }
        }

        return values;
    }

    /// <summary>Slots for the values of <see cref="s_names"/>, on the stack: reading a query allocates nothing but decoded copies.</summary>
    [InlineArray(SlotCount)]
    private struct Slots
    {
        private ReadOnlyMemory<char> _value;
    }

    private const int SlotCount = 32;

    /// <summary>Each parameter's first value, empty when absent (absent and empty mean the same to every field).</summary>
    private struct FirstValues
    {
        private Slots _values;
        private uint _seen;

        public readonly ReadOnlySpan<char> this[int slot] => _values[slot].Span;

        public void SetIfFirst(int slot, ReadOnlyMemory<char> value)
        {
            var bit = 1u << slot;
            if ((_seen & bit) != 0) { return; }
            _seen |= bit;
            _values[slot] = value;
        }
    }
}
