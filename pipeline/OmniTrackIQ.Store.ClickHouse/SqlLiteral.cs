using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Values written into SQL text. 18.16 answers the driver's query parameters with errors, so every value a
/// query carries is a literal; this is the one place that quotes them.
/// </summary>
internal static class SqlLiteral
{
    /// <summary>
    /// A ClickHouse string literal: single quotes, with backslash and quote escaped by a backslash (ClickHouse
    /// reads backslash escapes inside quoted strings, so a lone backslash would swallow the next character).
    /// Control characters are escaped too, so that logs of the query stay one line per value.
    /// </summary>
    public static string String(string? value)
    {
        if (value is null) { return "NULL"; }
        var builder = new StringBuilder(value.Length + 2);
        Append(builder, value);
        return builder.ToString();
    }

    /// <summary>Appends the quoted literal of <paramref name="value"/> (non-null) to <paramref name="builder"/>.</summary>
    public static void Append(StringBuilder builder, string value)
    {
        builder.Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\'': builder.Append(@"\'"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\0': builder.Append(@"\0"); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('\'');
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A database name as an identifier. Names are not escaped but checked: the store creates and drops
    /// databases by name, and an allow-list is simpler to trust than identifier escaping rules.
    /// </summary>
    public static string Identifier(string name)
    {
        if (name.Length == 0 || name.Length > 128 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')) { throw Invalid(name); }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) { throw Invalid(name); }
        }

        return name;
    }

    private static ArgumentException Invalid(string name) =>
        new($"'{name}' is not a plain identifier (letters, digits, underscore; not starting with a digit)", nameof(name));
}
