using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Attribution.Runs;

/// <summary>
/// The people a run recomputes: the stitched identity graph, each person's first identify time (for journeys) and the
/// identity keys in scope — every key of every person in scope, since a person's stored rows may carry an earlier
/// name — or null for everyone.
/// </summary>
public sealed record JourneyScope(PersonResolver People, IReadOnlyDictionary<string, long> LeadMs, IReadOnlyList<string>? Keys)
{
    public bool IsPartial => Keys is not null;
}
