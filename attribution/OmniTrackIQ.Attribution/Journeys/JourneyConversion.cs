namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>One conversion of a person: order id, time (Unix epoch ms), revenue and its currency.</summary>
public readonly record struct JourneyConversion(string Id, long TimestampMs, double Revenue, string? Currency = null);
