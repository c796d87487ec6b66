using OmniTrackIQ.Attribution.Heuristics;

namespace OmniTrackIQ.Attribution.Storage;

/// <summary>The API / table names of the models (the <c>model</c> column of attribution_results).</summary>
public static class AttributionModels
{
    /// <summary>The channel a conversion without any creditable touch is credited to, in every store's results.</summary>
    public const string NoTouchChannel = "(none)";

    public const string Markov = "markov";
    public const string Shapley = "shapley";

    /// <summary>Rule-based models, computed per conversion.</summary>
    public static IReadOnlyList<(string Name, HeuristicModel Model)> Heuristics { get; } =
    [
        ("first", HeuristicModel.FirstTouch),
        ("last", HeuristicModel.LastTouch),
        ("last_non_direct", HeuristicModel.LastNonDirect),
        ("linear", HeuristicModel.Linear),
        ("time_decay", HeuristicModel.TimeDecay),
        ("position", HeuristicModel.PositionBased),
        ("w_shaped", HeuristicModel.WShaped),
    ];

    /// <summary>Every model name, heuristics first, then the data-driven ones.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. Heuristics.Select(h => h.Name), Markov, Shapley];

    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.Ordinal);
}
