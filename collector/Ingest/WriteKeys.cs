using System.Buffers.Text;
using System.Text;

namespace OmniTrackIQ.Collector.Ingest;

/// <summary>
/// Where a request's write key is, in DESIGN's order: the HTTP Basic user (Segment's and RudderStack's clients send
/// <c>base64(writeKey + ":")</c>; without the colon is accepted too), the body's <c>writeKey</c>, the
/// <c>X-OTQ-Key</c> or <c>X-Write-Key</c> header, then <c>?writeKey=</c>. The first place that has one decides:
/// a wrong key there is refused, never "corrected" by a later place.
/// </summary>
internal static class WriteKeys
{
    /// <summary>The key and where it was found (for the 401's field), or (null, "writeKey") when none is anywhere.</summary>
    public static (string? Key, string Field) Find(HttpRequest request, string? bodyKey)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (BasicUser(authorization.AsSpan(6).Trim()), "Authorization");
        }

        if (bodyKey is not null) { return (bodyKey, "writeKey"); }
        if (request.Headers.TryGetValue("X-OTQ-Key", out var otq) && otq.Count > 0 && otq[0] is { Length: > 0 } k1) { return (k1, "X-OTQ-Key"); }
        if (request.Headers.TryGetValue("X-Write-Key", out var wk) && wk.Count > 0 && wk[0] is { Length: > 0 } k2) { return (k2, "X-Write-Key"); }
        if (request.Query.TryGetValue("writeKey", out var q) && q.Count > 0 && q[0] is { Length: > 0 } k3) { return (k3, "writeKey"); }
        return (null, "writeKey");
    }

    /// <summary>The user part of a Basic credential; empty when it is not base64 (which no key matches).</summary>
    internal static string BasicUser(ReadOnlySpan<char> encoded)
    {
        if (encoded.Length > 1024) { return ""; }
        Span<byte> bytes = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var written)) { return ""; }
        var decoded = bytes[..written];
        var colon = decoded.IndexOf((byte)':');
        return Encoding.UTF8.GetString(colon < 0 ? decoded : decoded[..colon]);
    }
}
