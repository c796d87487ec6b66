namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>The rule-based models; each gives the touches of one conversion credits that sum to 1.</summary>
public enum HeuristicModel
{
    FirstTouch,
    LastTouch,
    LastNonDirect,
    Linear,
    TimeDecay,
    PositionBased,
    WShaped,
}
