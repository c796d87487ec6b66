using OmniTrackIQ.Attribution.Heuristics;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>The API / table names of the heuristic models (the <c>model</c> column of attribution_results).</summary>
public static class AttributionModels
{
    public static IReadOnlyList<(string Name, HeuristicModel Model)> All { get; } =
    [
        ("first", HeuristicModel.FirstTouch),
        ("last", HeuristicModel.LastTouch),
        ("last_non_direct", HeuristicModel.LastNonDirect),
        ("linear", HeuristicModel.Linear),
        ("time_decay", HeuristicModel.TimeDecay),
        ("position", HeuristicModel.PositionBased),
        ("w_shaped", HeuristicModel.WShaped),
    ];

    public static bool IsKnown(string? name)
    {
        foreach (var (known, _) in All)
        {
            if (string.Equals(known, name, StringComparison.Ordinal)) { return true; }
        }

        return false;
    }
}
