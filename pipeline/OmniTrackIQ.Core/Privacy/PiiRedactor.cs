using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// Keeps clear-text e-mail addresses and phone numbers out of stored JSON (event properties, group traits, order line
/// items, the payloads kept in <c>bad_events</c>), at any depth and under any key. The value of a key whose name says
/// e-mail or phone (<see cref="PiiKeys"/>: <c>email</c>, <c>customer_email</c>, <c>billingPhone</c>, <c>tel</c>, …) becomes
/// <c>"sha256:&lt;hex&gt;"</c> whatever it holds (every element of an array under it too); every other string, and every
/// property name, goes through <see cref="PiiText"/>, which hashes addresses and phones by their shape, inside URLs too.
/// Hashes are those of the identity fields (normalised e-mail, E.164 phone), so they still join.
/// </summary>
public static class PiiRedactor
{
    private const int StackBytes = 1024;
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    // Bytes that can begin what PiiText rewrites; a JSON string with none of them (and not under a personal key) is copied.
    private static readonly SearchValues<byte> s_valueTriggers = SearchValues.Create("@%+=\\"u8);
    private static readonly SearchValues<byte> s_rare = SearchValues.Create("@%+\\"u8);

    /// <summary>
    /// A cheap pre-check: false means nothing in the JSON can need redacting: no <c>@</c>, <c>%40</c>, <c>%2B</c>, escape,
    /// value-leading <c>+</c>, and no name hint (<c>mail</c>, <c>phone</c>, <c>tel</c>, <c>mobile</c>, <c>msisdn</c>, <c>fax</c>, any case).
    /// </summary>
    public static bool MayContainPii(ReadOnlySpan<byte> json)
    {
        for (var from = 0; ;)
        {
            var next = json[from..].IndexOfAny(s_rare);
            if (next < 0) { break; }
            var at = from + next;
            switch (json[at])
            {
                case (byte)'@' or (byte)'\\': return true;
                case (byte)'%' when json[at..] is [_, (byte)'4', (byte)'0', ..] or [_, (byte)'2', (byte)'B' or (byte)'b', ..]: return true;
                case (byte)'+' when StartsValue(json, at): return true;
            }

            from = at + 1;
        }

        return HasNameHint(json);
    }

    /// <summary>The JSON with PII hashed; the input text itself when nothing needed it.</summary>
    public static string Redact(ReadOnlySpan<byte> json)
    {
        if (!MayContainPii(json)) { return Encoding.UTF8.GetString(json); }
        try
        {
            return Rewrite(json) ?? Encoding.UTF8.GetString(json);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (a payload kept because it was unreadable): nothing to walk, so hash the whole text
            // rather than keep what may be an address in it.
            return PiiText.Prefix + Convert.ToHexStringLower(SHA256.HashData(json));
        }
    }

    /// <summary>A <c>+</c> that begins a string value (white space aside) or a parameter value: a phone's shape.</summary>
    private static bool StartsValue(ReadOnlySpan<byte> json, int plus)
    {
        var i = plus - 1;
        while (i >= 0 && json[i] is (byte)' ' or (byte)'\t') { i--; }
        return i >= 0 && json[i] is (byte)'"' or (byte)'=';
    }

    private static bool HasNameHint(ReadOnlySpan<byte> json)
    {
        byte[]? rented = null;
        try
        {
            var lower = json.Length <= StackBytes ? stackalloc byte[StackBytes] : rented = ArrayPool<byte>.Shared.Rent(json.Length);
            lower = lower[..json.Length];
            // OR 0x20 lower-cases ASCII letters and maps no other byte onto one: a case-blind search for letter-only hints.
            var i = 0;
            var mask = new Vector<byte>(0x20);
            for (; i <= json.Length - Vector<byte>.Count; i += Vector<byte>.Count) { (new Vector<byte>(json[i..]) | mask).CopyTo(lower[i..]); }
            for (; i < json.Length; i++) { lower[i] = (byte)(json[i] | 0x20); }
            return lower.IndexOf("mail"u8) >= 0 || lower.IndexOf("phone"u8) >= 0 || lower.IndexOf("tel"u8) >= 0
                || lower.IndexOf("mobile"u8) >= 0 || lower.IndexOf("msisdn"u8) >= 0 || lower.IndexOf("fax"u8) >= 0;
        }
        finally
        {
            if (rented is not null) { ArrayPool<byte>.Shared.Return(rented); }
        }
    }

    /// <summary>The rewritten JSON, or null when no value or name needed a change (the caller keeps the text as sent).</summary>
    private static string? Rewrite(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        var changed = false;
        // Rewritten text keeps its characters ('&' in a URL stays '&'): the stored JSON is data, never embedded in HTML.
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var reader = new Utf8JsonReader(json, s_options);
            var pending = PiiKind.None;   // the kind of the property whose value comes next
            var arrayKind = PiiKind.None; // inside an array under a PII key (emails: [...]) every scalar is PII
            var arrayDepth = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    pending = WriteName(ref reader, writer, ref changed);
                    continue;
                }

                var kind = pending != PiiKind.None ? pending : arrayDepth >= 0 && reader.CurrentDepth > arrayDepth ? arrayKind : PiiKind.None;
                pending = PiiKind.None;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String: WriteString(json, ref reader, writer, kind, ref changed); break;
                    case JsonTokenType.Number when kind != PiiKind.None:
                        writer.WriteStringValue(PiiText.Hash(Encoding.UTF8.GetString(reader.ValueSpan), kind));
                        changed = true;
                        break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray:
                        if (kind != PiiKind.None && arrayDepth < 0) { arrayKind = kind; arrayDepth = reader.CurrentDepth; }
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        if (reader.CurrentDepth == arrayDepth) { arrayDepth = -1; arrayKind = PiiKind.None; }
                        writer.WriteEndArray();
                        break;
                }
            }
        }

        return changed ? Encoding.UTF8.GetString(output.WrittenSpan) : null;
    }

    /// <summary>Writes a property name (an address in it hashed, as in <c>{"jane@example.com": 3}</c>) and returns the kind it gives its value.</summary>
    private static PiiKind WriteName(ref Utf8JsonReader reader, Utf8JsonWriter writer, ref bool changed)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny(s_valueTriggers) < 0)
        {
            writer.WritePropertyName(raw);
            return PiiKeys.KindOf(raw);
        }

        if (TryUnescape(ref reader) is not { } name)
        {
            writer.WritePropertyName(raw);
            return PiiKind.None;
        }

        var scrubbed = PiiText.Scrub(name)!;
        changed |= !ReferenceEquals(scrubbed, name);
        writer.WritePropertyName(scrubbed);
        return PiiKeys.KindOf(name);
    }

    private static void WriteString(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, Utf8JsonWriter writer, PiiKind kind, ref bool changed)
    {
        var raw = reader.ValueSpan;
        if (kind != PiiKind.None || raw.IndexOfAny(s_valueTriggers) >= 0)
        {
            var text = TryUnescape(ref reader);
            string? replacement;
            if (text is null)
            {
                // An escape that is no valid text (a lone surrogate): the string is kept as sent unless it may spell an
                // address or a phone, then only its hash is.
                replacement = MaySpellPii(raw) ? PiiText.Prefix + Convert.ToHexStringLower(SHA256.HashData(raw)) : null;
            }
            else if (kind != PiiKind.None)
            {
                replacement = PiiText.IsHashed(text.AsSpan().Trim()) || text.AsSpan().Trim().IsEmpty ? null : PiiText.Hash(text, kind);
            }
            else
            {
                var scrubbed = PiiText.Scrub(text)!;
                replacement = ReferenceEquals(scrubbed, text) ? null : scrubbed;
            }

            if (replacement is not null)
            {
                writer.WriteStringValue(replacement);
                changed = true;
                return;
            }
        }

        // Copied as sent, escapes and all.
        writer.WriteRawValue(json.Slice((int)reader.TokenStartIndex, raw.Length + 2), skipInputValidation: true);
    }

    private static bool MaySpellPii(ReadOnlySpan<byte> raw) =>
        raw.IndexOf((byte)'@') >= 0 || raw.IndexOf("%40"u8) >= 0 || raw.IndexOf("u0040"u8) >= 0
        || raw.TrimStart(" \t"u8) is [(byte)'+', ..] || raw.IndexOf("u002b"u8) >= 0 || raw.IndexOf("u002B"u8) >= 0;

    private static string? TryUnescape(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
