namespace OmniTrackIQ.Enrichment.Channels;

/// <summary>
/// Forgiving, allocation-free slicing of untrusted URLs (referrers and landing pages straight from
/// browsers). Anything it cannot make sense of yields an empty span, never an exception.
/// </summary>
public static class UrlParts
{
    // DNS names are at most 253 characters; longer "hosts" are garbage.
    private const int MaxHostLength = 253;

    /// <summary>The host of an absolute URL (no user info, port or trailing dot), or empty.</summary>
    public static ReadOnlySpan<char> Host(ReadOnlySpan<char> url)
    {
        url = url.Trim();
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        ReadOnlySpan<char> rest;
        if (scheme > 0)
        {
            rest = url[(scheme + 3)..];
        }
        else if (url.StartsWith("//", StringComparison.Ordinal))
        {
            rest = url[2..];
        }
        else
        {
            return [];
        }

        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        ReadOnlySpan<char> host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            host = close < 0 ? [] : authority[..(close + 1)];
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }

        host = host.TrimEnd('.');
        return host.Length > MaxHostLength || host.ContainsAny(' ', '\t', '\\') ? [] : host;
    }

    /// <summary>The query string of a URL without '?' and fragment, or empty.</summary>
    public static ReadOnlySpan<char> Query(ReadOnlySpan<char> url)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0)
        {
            url = url[..hash];
        }

        var question = url.IndexOf('?');
        return question < 0 ? [] : url[(question + 1)..];
    }

    /// <summary>
    /// True when <paramref name="host"/> is <paramref name="domain"/> or one of its subdomains,
    /// ignoring case and a leading "www." on the domain.
    /// </summary>
    public static bool IsSameSite(ReadOnlySpan<char> host, ReadOnlySpan<char> domain)
    {
        domain = domain.Trim().TrimEnd('.');
        if (domain.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            domain = domain[4..];
        }

        if (host.IsEmpty || domain.IsEmpty || host.Length < domain.Length)
        {
            return false;
        }

        return host.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
            && (host.Length == domain.Length || host[host.Length - domain.Length - 1] == '.');
    }
}
