namespace OmniTrackIQ.Attribution.Storage;

/// <summary>What one run did: conversions and people recomputed, whether it was a full recompute, and the event load sequence it read through.</summary>
public sealed record AttributionRun(int Conversions, int People, bool Full, long LoadedThrough);

/// <summary>Progress of a run's compute phase, in people.</summary>
public readonly record struct AttributionProgress(int Done, int Total);
