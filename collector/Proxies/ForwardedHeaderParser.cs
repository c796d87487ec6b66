using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OmniTrackIQ.Collector.Proxies;

/// <summary>One element of an RFC 7239 <c>Forwarded</c> header: the hop's client address (null when absent, <c>unknown</c> or obfuscated) and <c>proto</c>.</summary>
internal readonly record struct ForwardedElement(IPAddress? For, string? Proto);

/// <summary>
/// Parses RFC 7239 <c>Forwarded</c> (<c>for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"</c>), which
/// ASP.NET Core's forwarded-headers middleware does not read. Pure; a header that is not well formed
/// yields null and is ignored whole, since any part of it could be the spoofed one.
/// </summary>
internal static class ForwardedHeaderParser
{
    /// <summary>The elements in header order (the nearest proxy's is last); null when the header is malformed.</summary>
    public static List<ForwardedElement>? Parse(string header)
    {
        var elements = new List<ForwardedElement>();
        string? forValue = null;
        string? proto = null;
        var sawFor = false;
        var i = 0;
        while (true)
        {
            SkipSpaces(header, ref i);
            if (i < header.Length && header[i] is not (',' or ';'))
            {
                var name = ReadToken(header, ref i);
                if (name.Length == 0 || i >= header.Length || header[i] != '=') { return null; }
                i++;
                var value = ReadValue(header, ref i);
                if (value is null) { return null; }
                if (name.Equals("for", StringComparison.OrdinalIgnoreCase))
                {
                    if (sawFor) { return null; } // RFC 7239 §4: a parameter occurs at most once per element
                    sawFor = true;
                    forValue = value;
                }
                else if (name.Equals("proto", StringComparison.OrdinalIgnoreCase))
                {
                    proto = value;
                }

                SkipSpaces(header, ref i);
            }

            if (i >= header.Length || header[i] == ',')
            {
                elements.Add(new ForwardedElement(forValue is null ? null : ParseNode(forValue), proto));
                forValue = null;
                proto = null;
                sawFor = false;
                if (i >= header.Length) { return elements; }
            }
            else if (header[i] != ';')
            {
                return null;
            }

            i++;
        }
    }

    /// <summary>
    /// <c>node = nodename [":" port]</c>; nodename is an IPv4 address, a bracketed IPv6 address, <c>unknown</c>
    /// or an obfuscated <c>_identifier</c>. Only real addresses are returned; a bare IPv6 address (unbracketed,
    /// seen from some proxies) is accepted too.
    /// </summary>
    internal static IPAddress? ParseNode(string node)
    {
        if (node.StartsWith('['))
        {
            var close = node.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !ValidPort(node.AsSpan(close + 1))) { return null; }
            return IPAddress.TryParse(node.AsSpan(1, close - 1), out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }

        if (node.Count(c => c == ':') > 1)
        {
            return IPAddress.TryParse(node, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6 ? bare : null;
        }

        var colon = node.IndexOf(':', StringComparison.Ordinal);
        var host = colon < 0 ? node : node[..colon];
        if (colon >= 0 && !ValidPort(node.AsSpan(colon))) { return null; }
        if (host.Count(c => c == '.') != 3) { return null; } // also rules out "unknown" and "_hidden"
        return IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? v4 : null;
    }

    /// <summary>Empty, or ":" followed by 1–5 digits or an obfuscated "_port".</summary>
    private static bool ValidPort(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty) { return true; }
        if (rest[0] != ':' || rest.Length < 2) { return false; }
        var port = rest[1..];
        if (port[0] == '_') { return true; }
        return port.Length <= 5 && !port.ContainsAnyExceptInRange('0', '9');
    }

    private static string? ReadValue(string header, ref int i)
    {
        if (i < header.Length && header[i] == '"')
        {
            var sb = new StringBuilder();
            for (i++; i < header.Length; i++)
            {
                var c = header[i];
                if (c == '"')
                {
                    i++;
                    return sb.ToString();
                }

                if (c == '\\')
                {
                    if (++i >= header.Length) { return null; }
                    c = header[i];
                }

                sb.Append(c);
            }

            return null; // unterminated quoted-string
        }

        // Leniency: brackets and colons are not tchars, but an unquoted IPv6 node is common enough to read.
        var start = i;
        while (i < header.Length && (IsTokenChar(header[i]) || header[i] is '[' or ']' or ':')) { i++; }
        return i > start ? header[start..i] : null;
    }

    private static string ReadToken(string header, ref int i)
    {
        var start = i;
        while (i < header.Length && IsTokenChar(header[i])) { i++; }
        return header[start..i];
    }

    private static void SkipSpaces(string header, ref int i)
    {
        while (i < header.Length && header[i] is ' ' or '\t') { i++; }
    }

    /// <summary>RFC 7230 tchar.</summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
