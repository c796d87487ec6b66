using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// Replaces e-mail addresses and phone numbers in one text value (an id, a URL, a title, a campaign value, a JSON
/// string) by <c>sha256:&lt;hex&gt;</c>, the SHA-256 of the normalised address (trimmed, lower-case) or of the E.164
/// number: the same hashes as <c>email_sha256</c> / <c>phone_sha256</c>, so hashed ids still join and stitch.
/// <list type="bullet">
/// <item>A whole value that is an address (<see cref="EmailShape"/>) or a phone (<see cref="PhoneShape"/>) becomes its hash.</item>
/// <item>In <c>name=value</c> parameters (a URL's query or fragment, a <c>search</c> string), a value under a personal
/// name (<see cref="PiiKeys"/>: <c>email</c>, <c>phone</c>, <c>tel</c>, …) or whose URL-decoded form is an address or a
/// phone becomes its hash.</item>
/// <item>Any other address anywhere in the text, written with <c>@</c> or <c>%40</c>, is replaced where it stands.</item>
/// </list>
/// Phone numbers inside longer free text are not looked for: digits alone cannot be told from order ids and amounts.
/// Text with none of <c>@ % + =</c> is returned as it is without further work, which is nearly every value.
/// </summary>
public static class PiiText
{
    /// <summary>What every hashed value starts with, so it is recognisable (and never hashed twice).</summary>
    public const string Prefix = "sha256:";

    private const int StackChars = 256;
    private const int MaxDepth = 3;
    private static readonly SearchValues<char> s_triggers = SearchValues.Create("@%+=");
    private static readonly SearchValues<char> s_valueTriggers = SearchValues.Create("@%+");
    private static readonly SearchValues<char> s_separators = SearchValues.Create("?&#");
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The text with addresses and phones hashed; the same instance when there were none.</summary>
    public static string? Scrub(string? text) =>
        text is null || text.AsSpan().IndexOfAny(s_triggers) < 0 ? text : Rewrite(text, 0);

    /// <summary>True for a value this class (or a client) already hashed: <c>sha256:</c> and 64 hex digits.</summary>
    public static bool IsHashed(ReadOnlySpan<char> value) =>
        value.Length == Prefix.Length + SHA256.HashSizeInBytes * 2 && value.StartsWith(Prefix, StringComparison.Ordinal)
        && !value[Prefix.Length..].ContainsAnyExcept(s_hex);

    /// <summary><c>sha256:</c> and the hash of <paramref name="value"/> read as <paramref name="kind"/>; an unnormalisable value is hashed as it is, trimmed.</summary>
    public static string Hash(ReadOnlySpan<char> value, PiiKind kind)
    {
        var hash = kind == PiiKind.Phone ? PhoneHasher.Hash(value) : EmailHasher.Hash(value);
        return Prefix + (hash ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim().ToString()))));
    }

    private static string Rewrite(string text, int depth)
    {
        var span = text.AsSpan();
        // Without @ % + no value can have an address's or a phone's shape: only names can make a change (a URL's
        // query, the common case, costs a look at each parameter's name).
        var shapes = span.ContainsAny(s_valueTriggers);
        if (shapes)
        {
            var trimmed = span.Trim();
            if (PhoneShape.Matches(trimmed)) { return Hash(trimmed, PiiKind.Phone); }
            if (!IsHashed(trimmed) && EmailShape.Matches(trimmed)) { return HashAddress(trimmed); }
        }

        var output = new Output(text);
        for (var start = 0; start <= span.Length;)
        {
            var next = span[start..].IndexOfAny(s_separators);
            var end = next < 0 ? span.Length : start + next;
            ScrubSegment(span, start, end, depth, shapes, ref output);
            start = end + 1;
        }

        return output.Finish();
    }

    /// <summary>One <c>name=value</c> (or any stretch of text between <c>? &amp; #</c>).</summary>
    private static void ScrubSegment(ReadOnlySpan<char> text, int start, int end, int depth, bool shapes, ref Output output)
    {
        var segment = text[start..end];
        var equals = segment.IndexOf('=');
        if (equals > 0 && equals < segment.Length - 1)
        {
            var value = segment[(equals + 1)..];
            var kind = PiiKeys.KindOf(segment[..equals]);
            if ((kind != PiiKind.None || (shapes && value.ContainsAny(s_valueTriggers))) && ParameterHash(value, kind) is { } hashed)
            {
                output.Replace(start + equals + 1, end, hashed);
                return;
            }

            // A parameter that is itself an encoded URL or query (a redirect, a nested referrer, an encoded-twice value)
            // is read again decoded, a few levels deep, and written back encoded.
            if (shapes && depth < MaxDepth && (value.Contains("%25", StringComparison.Ordinal) || value.Contains("%3D", StringComparison.OrdinalIgnoreCase))
                && ScrubEncoded(value, depth + 1) is { } rewritten)
            {
                output.Replace(start + equals + 1, end, rewritten);
                return;
            }
        }

        for (var from = 0; shapes && EmailShape.Find(segment, from, out var at, out var length); from = at + length)
        {
            output.Replace(start + at, start + at + length, HashAddress(segment.Slice(at, length)));
        }
    }

    /// <summary>The hash a parameter value gets, or null when it keeps its text (for the search of addresses inside it).</summary>
    private static string? ParameterHash(ReadOnlySpan<char> raw, PiiKind kind)
    {
        if (!raw.Contains('%')) { return ValueHash(raw, kind); }
        char[]? rented = null;
        Span<char> buffer = raw.Length <= StackChars ? stackalloc char[StackChars] : rented = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            // '+' stays itself: a phone's plus is far more common here than a form-encoded space.
            return ValueHash(Uri.TryUnescapeDataString(raw, buffer, out var written) ? buffer[..written] : raw, kind);
        }
        finally
        {
            if (rented is not null) { ArrayPool<char>.Shared.Return(rented); }
        }
    }

    private static string? ValueHash(ReadOnlySpan<char> value, PiiKind kind)
    {
        value = value.Trim();
        if (value.IsEmpty || IsHashed(value)) { return null; }
        if (kind != PiiKind.Phone && EmailShape.Matches(value)) { return HashAddress(value); } // maybe still encoded: %2540 decoded once
        if (kind != PiiKind.None) { return Hash(value, kind); }
        return PhoneShape.Matches(value) ? Hash(value, PiiKind.Phone) : null;
    }

    /// <summary>The value decoded, scrubbed and encoded again; null when decoding it shows nothing to hash.</summary>
    private static string? ScrubEncoded(ReadOnlySpan<char> value, int depth)
    {
        var encoded = value.ToString();
        var decoded = Uri.UnescapeDataString(encoded);
        if (decoded.Length == encoded.Length || decoded.AsSpan().IndexOfAny(s_triggers) < 0) { return null; }
        var scrubbed = Rewrite(decoded, depth);
        return ReferenceEquals(scrubbed, decoded) ? null : Uri.EscapeDataString(scrubbed);
    }

    /// <summary>An address as found (perhaps URL-encoded: <c>jane%40example.com</c>) hashed in its decoded form.</summary>
    private static string HashAddress(ReadOnlySpan<char> address) =>
        address.Contains('%') ? Hash(Uri.UnescapeDataString(address.ToString()), PiiKind.Email) : Hash(address, PiiKind.Email);

    /// <summary>The rewritten text, built only once something is replaced.</summary>
    private struct Output(string source)
    {
        private StringBuilder? _builder;
        private int _copied;

        public void Replace(int start, int end, string replacement)
        {
            _builder ??= new StringBuilder(source.Length + 64);
            _builder.Append(source.AsSpan(_copied, start - _copied)).Append(replacement);
            _copied = end;
        }

        public readonly string Finish() => _builder is null ? source : _builder.Append(source.AsSpan(_copied)).ToString();
    }
}
