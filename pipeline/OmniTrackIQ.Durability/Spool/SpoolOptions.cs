using System.ComponentModel.DataAnnotations;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>Durable spool settings (section <c>OmniTrack:Spool</c>); each check's message names its key.</summary>
public sealed class SpoolOptions
{
    internal const long DefaultSegmentBytes = 32L * 1024 * 1024;
    internal const long DefaultMaxBytes = 1024L * 1024 * 1024;
    internal static readonly TimeSpan DefaultMaxSegmentAge = TimeSpan.FromHours(1);

    /// <summary>Where segments live; default <c>{DataDirectory}/spool</c>.</summary>
    public string? Directory { get; set; }
    /// <summary>A segment is closed and a new one started past this size.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "OmniTrack:Spool:SegmentBytes must be positive")]
    public long SegmentBytes { get; set; } = DefaultSegmentBytes;
    /// <summary>...or once its first record is this old, so stored events leave the disk within about this long even when traffic is low.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:Spool:MaxSegmentAge must be positive")]
    public TimeSpan MaxSegmentAge { get; set; } = DefaultMaxSegmentAge;
    /// <summary>Past this many bytes not yet stored, ingest answers 503 + Retry-After instead of accepting.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "OmniTrack:Spool:MaxBytes must be positive")]
    public long MaxBytes { get; set; } = DefaultMaxBytes;
    /// <summary>Retry-After sent with the 503 when the spool is full.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:Spool:RetryAfterSeconds must be at least 1")]
    public int RetryAfterSeconds { get; set; } = 5;
    /// <summary>Requests waiting for the group-commit loop; past it callers wait (back-pressure).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:Spool:PendingCapacity must be at least 1")]
    public int PendingCapacity { get; set; } = 8192;
}
