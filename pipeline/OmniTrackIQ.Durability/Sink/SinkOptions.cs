using System.ComponentModel.DataAnnotations;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>Batch writer settings (section <c>OmniTrack:Sink</c>); each check's message names its key.</summary>
public sealed class SinkOptions
{
    internal const int DefaultBatchSize = 10_000;
    internal const int DefaultChannelCapacity = 256;

    /// <summary>Write to the store once this many events are buffered...</summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:Sink:BatchSize must be at least 1")]
    public int BatchSize { get; set; } = DefaultBatchSize;
    /// <summary>...or once the oldest buffered event waited this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:Sink:MaxBatchAge must be positive")]
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Durable batches held in memory for the writer; beyond it the writer reads them back from the spool.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "OmniTrack:Sink:ChannelCapacity must be at least 1")]
    public int ChannelCapacity { get; set; } = DefaultChannelCapacity;
    /// <summary>Least retry delay after a failed store write; later ones grow with jitter (<see cref="RetryBackoff"/>) up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:Sink:RetryDelay must be positive")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    [Range(typeof(TimeSpan), "00:00:00.001", "10675199.02:48:05.4775807", ErrorMessage = "OmniTrack:Sink:MaxRetryDelay must be positive")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
