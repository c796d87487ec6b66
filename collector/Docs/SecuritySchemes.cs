namespace OmniTrackIQ.Collector.Docs;

/// <summary>Names of the OpenAPI security schemes (components.securitySchemes) the collector's credentials map to.</summary>
internal static class SecuritySchemes
{
    /// <summary>Write key as the HTTP Basic user name (empty password).</summary>
    public const string WriteKeyBasic = "writeKeyBasic";

    /// <summary>Write key in the <c>X-OTQ-Key</c> header.</summary>
    public const string WriteKeyHeader = "writeKeyHeader";

    /// <summary>Write key in the <c>writeKey</c> query parameter.</summary>
    public const string WriteKeyQuery = "writeKeyQuery";

    /// <summary>Write key in the pixel's <c>wk</c> query parameter.</summary>
    public const string PixelWriteKey = "pixelWriteKey";

    /// <summary>Secret key, <c>Authorization: Bearer sk_…</c>.</summary>
    public const string SecretKey = "secretKey";

    /// <summary>Read token, <c>Authorization: Bearer rt_…</c>.</summary>
    public const string ReadToken = "readToken";

    /// <summary>Every way <c>POST /v1/batch</c> takes the write key (the body's <c>writeKey</c> cannot be a scheme; it is in the description).</summary>
    public static readonly string[] WriteKeyAny = [WriteKeyBasic, WriteKeyHeader, WriteKeyQuery];
}
