namespace OmniTrackIQ.Collector.Attribution;

/// <summary>Settings under <c>OmniTrack:Attribution</c>.</summary>
internal sealed class AttributionWorkerOptions
{
    /// <summary>Seconds between full recomputes; 0 or less disables the worker (the run endpoint still works).</summary>
    public int IntervalSeconds { get; set; } = 10;
}
