using System.Text;
using System.Text.RegularExpressions;

namespace OmniTrackIQ.UserAgents.Parsing;

/// <summary>
/// The ua-parser replacement rules, shared by the three rule kinds. A replacement template may
/// reference match groups as <c>$1</c>..<c>$9</c>; the result is trimmed and an empty result is
/// null (the spec's "empty → null", so a template like <c>'$1'</c> over an absent group falls back to
/// the caller's default). Without a template a field falls back to a fixed group.
/// Runs only on a cache miss, so it may allocate the strings it returns.
/// </summary>
internal static class Replacement
{
    /// <summary>A template as read from regexes.yaml: null or empty means "no replacement".</summary>
    public static string? Normalize(string? template) => string.IsNullOrEmpty(template) ? null : template;

    /// <summary>Applies <paramref name="template"/> when present, else returns group <paramref name="fallbackGroup"/> (0 = none).</summary>
    public static string? Resolve(string? template, Match match, int fallbackGroup)
    {
        if (template is not null)
        {
            return Substitute(template, match);
        }

        return fallbackGroup > 0 ? Group(match, fallbackGroup) : null;
    }

    /// <summary>The value of a capture group, null when it did not take part in the match or captured nothing.</summary>
    public static string? Group(Match match, int index)
    {
        // GroupCollection returns a failed group (not an exception) for an index beyond the pattern's groups.
        var group = match.Groups[index];
        return group.Success && group.Length > 0 ? group.Value : null;
    }

    /// <summary>Replaces <c>$1</c>..<c>$9</c> with the groups (absent group → ""), trims, and maps "" to null.</summary>
    public static string? Substitute(string template, Match match)
    {
        var dollar = template.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return NullIfEmpty(template.Trim());
        }

        var builder = new StringBuilder(template.Length + 32);
        var start = 0;
        while (dollar >= 0)
        {
            if (dollar + 1 < template.Length && template[dollar + 1] is >= '1' and <= '9')
            {
                builder.Append(template, start, dollar - start);
                var group = match.Groups[template[dollar + 1] - '0'];
                if (group.Success)
                {
                    builder.Append(group.ValueSpan);
                }

                start = dollar + 2;
            }

            dollar = template.IndexOf('$', dollar + 1);
        }

        builder.Append(template, start, template.Length - start);
        return NullIfEmpty(builder.ToString().Trim());
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
