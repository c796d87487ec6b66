namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>Batch writer settings (section <c>OmniTrack:Sink</c>).</summary>
public sealed class SinkOptions
{
    internal const int DefaultBatchSize = 10_000;
    internal const int DefaultChannelCapacity = 256;

    /// <summary>Write to the store once this many events are buffered...</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;
    /// <summary>...or once the oldest buffered event waited this long.</summary>
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Durable batches held in memory for the writer; beyond it the writer reads them back from the spool.</summary>
    public int ChannelCapacity { get; set; } = DefaultChannelCapacity;
    /// <summary>Least retry delay after a failed store write; later ones grow with jitter (<see cref="RetryBackoff"/>) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
