namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>
/// One stored event as a store streams it for journey assembly: a page view (a touch candidate) or a conversion
/// (deduplicated by order id, with the order's net revenue). Stores stream these ordered by person, time and
/// message id; <see cref="JourneyAssembler"/> applies the rules.
/// </summary>
/// <param name="Person">The person the identity graph gives the event's key.</param>
/// <param name="Channel">The page view's channel; a store passes <c>Direct</c> for a null channel.</param>
/// <param name="OrderId">The conversion's order id (null for page views).</param>
public readonly record struct JourneyEvent(
    string Person, bool IsConversion, long TimestampMs, string Channel, string? Source, string? Medium, string? Campaign,
    string? OrderId, double Revenue, string? Currency);
