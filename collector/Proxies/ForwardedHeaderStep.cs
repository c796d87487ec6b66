using Microsoft.AspNetCore.HttpOverrides;

namespace OmniTrackIQ.Collector.Proxies;

/// <summary>Takes the client address (and scheme) from RFC 7239 <c>Forwarded</c> when the peer is trusted and sent no <c>X-Forwarded-For</c>.</summary>
internal static class ForwardedHeaderStep
{
    public static void Apply(HttpContext context, TrustedProxies trusted)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(ForwardedHeadersDefaults.XForwardedForHeaderName)) { return; }
        var forwarded = headers["Forwarded"];
        var peer = context.Connection.RemoteIpAddress;
        if (forwarded.Count == 0 || peer is null || !trusted.Contains(peer)) { return; }

        // Several header lines are one list (RFC 9110 §5.3).
        var elements = ForwardedHeaderParser.Parse(string.Join(',', forwarded.ToArray()));
        if (elements is null) { return; }

        // From the nearest hop outwards, as for X-Forwarded-For: each element was written by the proxy one
        // step closer to us, so it is believed only while that proxy is trusted. An unknown or obfuscated
        // node ends the walk, as nothing further left can be traced to a trusted hop.
        ForwardedElement? client = null;
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var element = elements[i];
            if (element.For is null) { break; }
            client = element;
            if (!trusted.Contains(element.For)) { break; }
        }

        if (client is not { } found) { return; }
        context.Connection.RemoteIpAddress = found.For;
        context.Connection.RemotePort = 0;
        if (found.Proto is { } proto && (proto.Equals("http", StringComparison.OrdinalIgnoreCase) || proto.Equals("https", StringComparison.OrdinalIgnoreCase)))
        {
            context.Request.Scheme = proto.ToLowerInvariant();
        }
    }
}
