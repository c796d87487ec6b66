using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace OmniTrackIQ.Collector.Tests.Ingest;

/// <summary>Requests shaped the way Segment-spec clients send them (Basic auth, gzip, their content types).</summary>
internal static class SegmentRequests
{
    public const string BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    /// <summary><c>Authorization: Basic base64(user + suffix)</c>; Segment's clients add a trailing colon.</summary>
    public static AuthenticationHeaderValue Basic(string writeKey, string suffix = ":") =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + suffix)));

    public static HttpRequestMessage Post(string path, string body, string contentType = "application/json", string? basicKey = CollectorFactory.WriteKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (basicKey is not null) { request.Headers.Authorization = Basic(basicKey); }
        return request;
    }

    /// <summary>As RudderStack's Node SDK sends: gzip, labelled form-urlencoded, key only as Basic.</summary>
    public static HttpRequestMessage PostGzip(string path, byte[] uncompressed, string contentType = "application/x-www-form-urlencoded")
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) { gzip.Write(uncompressed); }
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = Basic(CollectorFactory.WriteKey);
        return request;
    }
}
