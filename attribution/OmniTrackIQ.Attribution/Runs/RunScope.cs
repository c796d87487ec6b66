namespace OmniTrackIQ.Attribution.Runs;

/// <summary>What a run recomputes: what changed since the last run, everything, or the people converting in a range (plus what changed).</summary>
public enum RunScope
{
    Changed,
    All,
    Range,
}
