using System.Buffers;
using System.Text;

namespace OmniTrackIQ.Pipeline.Privacy;

/// <summary>What a value is, judged by the name it is stored under.</summary>
public enum PiiKind : byte
{
    None,
    Email,
    Phone,
}

/// <summary>
/// Names whose values are personal whatever their shape (README "Privacy"): any name holding <c>email</c>,
/// <c>e-mail</c> or <c>e_mail</c>, or equal to <c>mail</c>, is an e-mail; any name holding <c>phone</c>, or equal to
/// <c>tel</c>, <c>mobile</c>, <c>msisdn</c> or <c>fax</c>, is a phone (any case). Names that already say they hold a
/// hash (<c>…sha256</c>, <c>…hash</c>, <c>…hashed</c>) are not.
/// </summary>
public static class PiiKeys
{
    private const int StackNameLength = 128;

    // Every personal name holds one of these letters (mail, tel, mobile: l; phone, msisdn: n; fax: x): one vectorised
    // scan turns away nearly every other name (utm_source, gclid, page) before the word searches.
    private static readonly SearchValues<char> s_hintLetters = SearchValues.Create("lLnNxX");

    public static PiiKind KindOf(ReadOnlySpan<char> name)
    {
        if (name.Length < 3 || !name.ContainsAny(s_hintLetters)
            || name.EndsWith("sha256", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("hash", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("hashed", StringComparison.OrdinalIgnoreCase))
        {
            return PiiKind.None;
        }

        if (name.Contains("email", StringComparison.OrdinalIgnoreCase) || name.Contains("e-mail", StringComparison.OrdinalIgnoreCase)
            || name.Contains("e_mail", StringComparison.OrdinalIgnoreCase) || name.Equals("mail", StringComparison.OrdinalIgnoreCase))
        {
            return PiiKind.Email;
        }

        return name.Contains("phone", StringComparison.OrdinalIgnoreCase) || name.Equals("tel", StringComparison.OrdinalIgnoreCase)
            || name.Equals("mobile", StringComparison.OrdinalIgnoreCase) || name.Equals("msisdn", StringComparison.OrdinalIgnoreCase)
            || name.Equals("fax", StringComparison.OrdinalIgnoreCase)
            ? PiiKind.Phone
            : PiiKind.None;
    }

    /// <summary>The same rule on a UTF-8 name (a JSON property name as it lies in the body).</summary>
    public static PiiKind KindOf(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.Length < 3) { return PiiKind.None; }
        if (utf8Name.Length > StackNameLength) { return KindOf(Encoding.UTF8.GetString(utf8Name)); }
        Span<char> name = stackalloc char[StackNameLength];
        var length = Encoding.UTF8.GetChars(utf8Name, name);
        return KindOf(name[..length]);
    }
}
