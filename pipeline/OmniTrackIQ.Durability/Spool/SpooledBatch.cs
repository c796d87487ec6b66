using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>A durable batch handed to the sink: its events and where its record lies in the spool.</summary>
public sealed record SpooledBatch(SpoolPosition Start, SpoolPosition End, List<TrackedEvent> Events);
