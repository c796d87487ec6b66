namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// What counts as an e-mail address inside any text (README "Privacy"): a local part of letters, digits and
/// <c>. _ + -</c> (also URL-encoded); an <c>@</c>, or its URL encoding <c>%40</c>; a domain of two or more dot-separated labels of
/// letters, digits and hyphens, whose last label (the TLD) is two or more letters (or an <c>xn--</c> label) and not
/// an image, style or script file extension, so <c>logo@2x.png</c> stays a file name. Letters beyond ASCII count
/// (internationalised addresses). Quoted local parts and IP-literal domains are not recognised.
/// </summary>
public static class EmailShape
{
    // Retina image names ("logo@2x.png") look like addresses; none of these is a top-level domain.
    private static readonly string[] s_fileExtensions = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico", "bmp", "tif", "tiff", "heic", "css", "js"];

    /// <summary>True when the whole of <paramref name="text"/>, leading and trailing white space aside, is one address.</summary>
    public static bool Matches(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return Find(text, 0, out var start, out var length) && start == 0 && length == text.Length;
    }

    /// <summary>
    /// The first address that starts at or after <paramref name="from"/>: its start and length. Linear in the text
    /// (each <c>@</c> looks back and ahead only over characters that cannot hold another <c>@</c>).
    /// </summary>
    public static bool Find(ReadOnlySpan<char> text, int from, out int start, out int length)
    {
        var i = from;
        while (i < text.Length)
        {
            var next = text[i..].IndexOfAny('@', '%');
            if (next < 0) { break; }
            var at = i + next;
            var atLength = text[at] == '@' ? 1 : text[at..].StartsWith("%40", StringComparison.Ordinal) ? 3 : 0;
            if (atLength == 0)
            {
                i = at + 1;
                continue;
            }

            var localStart = LocalStart(text, from, at);
            while (localStart < at && text[localStart] == '.') { localStart++; }

            var domainStart = at + atLength;
            var domainEnd = domainStart;
            while (domainEnd < text.Length && IsDomainChar(text[domainEnd])) { domainEnd++; }
            while (domainEnd > domainStart && text[domainEnd - 1] is '.' or '-') { domainEnd--; }

            if (localStart < at && IsDomain(text[domainStart..domainEnd]))
            {
                start = localStart;
                length = domainEnd - localStart;
                return true;
            }

            i = at + atLength;
        }

        start = 0;
        length = 0;
        return false;
    }

    /// <summary>
    /// Where the local part before <paramref name="at"/> begins. A URL-encoded character (<c>%2B</c>) belongs to it when
    /// what it encodes does, so an encoded separator (<c>%3D</c> in <c>%3Femail%3Djane%40…</c>) ends it as the separator would.
    /// </summary>
    private static int LocalStart(ReadOnlySpan<char> text, int from, int at)
    {
        var start = at;
        while (start > from)
        {
            var c = text[start - 1];
            if (start - 3 >= from && text[start - 3] == '%' && char.IsAsciiHexDigit(text[start - 2]) && char.IsAsciiHexDigit(c))
            {
                var encoded = (char)((HexValue(text[start - 2]) << 4) | HexValue(c));
                if (!IsLocalChar(encoded)) { break; }
                start -= 3;
                continue;
            }

            if (!IsLocalChar(c)) { break; }
            start--;
        }

        return start;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' || (c > '\u007f' && char.IsLetterOrDigit(c));

    private static bool IsDomainChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '-' || (c > '\u007f' && char.IsLetterOrDigit(c));

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var lastDot = domain.LastIndexOf('.');
        if (lastDot <= 0 || domain[0] is '.' or '-' || domain.Length > 253 || domain.Contains("..", StringComparison.Ordinal)) { return false; }

        var tld = domain[(lastDot + 1)..];
        if (tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) { return tld.Length > 4; }
        if (tld.Length < 2) { return false; }
        foreach (var c in tld)
        {
            if (!char.IsLetter(c)) { return false; }
        }

        foreach (var extension in s_fileExtensions)
        {
            if (tld.Equals(extension, StringComparison.OrdinalIgnoreCase)) { return false; }
        }

        return true;
    }
}
