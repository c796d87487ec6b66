using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// Keeps clear-text e-mail addresses and phone numbers out of stored JSON (event properties, group traits,
/// the payloads kept in <c>bad_events</c>): the value of any key whose name holds "email" or "phone"
/// (any case, any depth, e.g. <c>email</c>, <c>customer_email</c>, <c>billingPhone</c>) becomes
/// <c>"sha256:&lt;hex&gt;"</c>, hashed like the identity fields (normalised e-mail, E.164 phone), so it still joins.
/// Keys that already name a hash (<c>…sha256</c>, <c>…hash</c>) are left alone.
/// </summary>
public static class PiiRedactor
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 64 };

    /// <summary>A cheap pre-check: false means the JSON has no key that could need redacting.</summary>
    public static bool MayContainPii(ReadOnlySpan<byte> json) =>
        json.IndexOf("mail"u8) >= 0 || json.IndexOf("Mail"u8) >= 0 || json.IndexOf("MAIL"u8) >= 0
        || json.IndexOf("hone"u8) >= 0 || json.IndexOf("Hone"u8) >= 0 || json.IndexOf("HONE"u8) >= 0
        || json.IndexOf((byte)'\\') >= 0; // an escaped key could spell either

    /// <summary>The JSON with PII values hashed; the input text itself when nothing needed it.</summary>
    public static string Redact(ReadOnlySpan<byte> json)
    {
        if (!MayContainPii(json)) { return Encoding.UTF8.GetString(json); }
        try
        {
            return Rewrite(json);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (a payload kept because it was unreadable): nothing to walk, so hash the whole text
            // rather than keep what may be an address in it.
            return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(json));
        }
    }

    private static string Rewrite(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(json, s_options);
            var pending = PiiKind.None;   // the kind of the property whose value comes next
            var arrayKind = PiiKind.None; // inside an array under a PII key (emails: [...]) every scalar is PII
            var arrayDepth = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueSpan.IndexOf((byte)'\\') < 0)
                    {
                        pending = KindOf(Encoding.UTF8.GetString(reader.ValueSpan));
                        writer.WritePropertyName(reader.ValueSpan);
                    }
                    else
                    {
                        var name = TryUnescape(ref reader);
                        pending = name is null ? PiiKind.None : KindOf(name);
                        if (name is null) { writer.WritePropertyName(reader.ValueSpan); } else { writer.WritePropertyName(name); }
                    }

                    continue;
                }

                var kind = pending != PiiKind.None ? pending : arrayDepth >= 0 && reader.CurrentDepth > arrayDepth ? arrayKind : PiiKind.None;
                pending = PiiKind.None;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String when kind != PiiKind.None: writer.WriteStringValue(HashOf(TryUnescape(ref reader) ?? Encoding.UTF8.GetString(reader.ValueSpan), kind)); break;
                    case JsonTokenType.Number when kind != PiiKind.None: writer.WriteStringValue(HashOf(Encoding.UTF8.GetString(reader.ValueSpan), kind)); break;
                    // Copied as sent, escapes and all (an invalid escape such as a lone surrogate stays visible, not fatal).
                    case JsonTokenType.String: writer.WriteRawValue(json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true); break;
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

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

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

    private enum PiiKind : byte { None, Email, Phone }

    private static PiiKind KindOf(string name)
    {
        if (name.EndsWith("sha256", StringComparison.OrdinalIgnoreCase) || name.EndsWith("hash", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("hashed", StringComparison.OrdinalIgnoreCase))
        {
            return PiiKind.None;
        }

        if (name.Contains("email", StringComparison.OrdinalIgnoreCase) || name.Contains("e-mail", StringComparison.OrdinalIgnoreCase)) { return PiiKind.Email; }
        return name.Contains("phone", StringComparison.OrdinalIgnoreCase) ? PiiKind.Phone : PiiKind.None;
    }

    private static string HashOf(string value, PiiKind kind)
    {
        var hash = kind == PiiKind.Phone ? PhoneHasher.Hash(value) : EmailHasher.Hash(value);
        hash ??= Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim())));
        return "sha256:" + hash;
    }
}
