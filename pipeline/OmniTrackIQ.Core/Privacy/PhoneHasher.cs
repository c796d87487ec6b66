using System.Security.Cryptography;
using System.Text;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>
/// SHA-256 (lower-case hex) of a phone number in E.164 form, <c>+</c> and 8 to 15 digits, the form ad
/// platforms' conversion APIs match on. Spaces, dashes, dots, slashes and parentheses are dropped and a
/// leading <c>00</c> is read as <c>+</c>. A number without its country code cannot be put in E.164 form
/// (the country is unknown), so it is not hashed: the caller drops it and says so.
/// </summary>
public static class PhoneHasher
{
    private const int MaxDigits = 15;
    private const int MinDigits = 8;

    /// <summary>The E.164 form, or null when <paramref name="phone"/> is not an international number.</summary>
    public static string? Normalise(ReadOnlySpan<char> phone)
    {
        phone = phone.Trim();
        Span<char> digits = stackalloc char[MaxDigits + 1];
        var count = 0;
        var international = false;
        for (var i = 0; i < phone.Length; i++)
        {
            var c = phone[i];
            if (c == '+' && count == 0 && !international) { international = true; continue; }
            if (c is ' ' or '-' or '.' or '/' or '(' or ')' or '\u00a0') { continue; }
            if (!char.IsAsciiDigit(c)) { return null; }
            if (count == 0 && !international && c == '0' && i + 1 < phone.Length && phone[i + 1] == '0')
            {
                international = true; // 00 prefix
                i++;
                continue;
            }

            if (count == MaxDigits) { return null; }
            digits[count++] = c;
        }

        if (!international || count < MinDigits || digits[0] == '0') { return null; }
        return "+" + new string(digits[..count]);
    }

    /// <summary>SHA-256 hex of the E.164 form; null when the number has none.</summary>
    public static string? Hash(ReadOnlySpan<char> phone)
    {
        if (Normalise(phone) is not { } e164) { return null; }
        Span<byte> utf8 = stackalloc byte[MaxDigits + 1];
        var length = Encoding.ASCII.GetBytes(e164, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }
}
