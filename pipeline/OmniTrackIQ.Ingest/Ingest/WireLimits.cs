namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Limits of the wire format (DESIGN.md "Wire format"). Beyond them: 413 or 400 naming the limit.</summary>
public static class WireLimits
{
    public const int MaxBodyBytes = 512 * 1024;
    public const int MaxEventsPerBatch = 500;
    public const int MaxEventBytes = 32 * 1024;
    /// <summary>Maximum JSON nesting depth of a body (properties included).</summary>
    public const int MaxDepth = 32;
    public const int MaxIdLength = 256;
    public const int MaxUrlLength = 4096;
    public const int MaxTextLength = 1024;
}
