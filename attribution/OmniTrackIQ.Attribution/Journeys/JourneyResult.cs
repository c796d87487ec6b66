using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>Everything attribution derives from one person's journey.</summary>
public sealed record JourneyResult(List<AttributedConversion> Conversions, IReadOnlyList<PathCount> Paths);
