using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>
/// One person's assembled journey as a store streams it to the models: touches and conversions in time
/// order and the time of their first identify. A store assembles these in its own query language (DuckDB
/// here; ClickHouse with groupArray per person) and only these reach <see cref="JourneyAttributor"/>.
/// </summary>
public sealed record PersonJourney(string Person, IReadOnlyList<Touchpoint> Touches, IReadOnlyList<JourneyConversion> Conversions, long? LeadTimestampMs);
