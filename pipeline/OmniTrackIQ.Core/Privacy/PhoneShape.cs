namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// What counts as a phone number by its shape alone (README "Privacy"): the whole value, white space aside, is a
/// <c>+</c> followed by 8 to 15 digits, the first not 0, with nothing between them but spaces, <c>- . / ( )</c>.
/// The leading <c>+</c> is required: order ids, amounts, timestamps and ids that are merely digits never match.
/// Numbers without it are phones only under a phone-like name (<see cref="PiiKeys"/>).
/// </summary>
public static class PhoneShape
{
    private const int MinDigits = 8;
    private const int MaxDigits = 15;

    public static bool Matches(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length <= MinDigits || text[0] != '+') { return false; }

        var digits = 0;
        foreach (var c in text[1..])
        {
            if (char.IsAsciiDigit(c))
            {
                if (digits == 0 && c == '0') { return false; }
                if (++digits > MaxDigits) { return false; }
            }
            else if (c is not (' ' or '-' or '.' or '/' or '(' or ')' or '\u00a0'))
            {
                return false;
            }
        }

        return digits >= MinDigits;
    }
}
