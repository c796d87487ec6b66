using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>Credit of one touch of a conversion's path under one model; <see cref="TouchIndex"/> indexes <see cref="AttributedConversion.Path"/>.</summary>
public readonly record struct TouchCredit(string Model, int TouchIndex, double Credit);

/// <summary>
/// A conversion with its path (the person's touches inside the lookback window, time order), the indices
/// of the touches the options kept (what Markov, Shapley and the paths report see) and the heuristic
/// credits. A conversion with no kept touch has an empty <see cref="Credits"/>: it is unattributed.
/// </summary>
public sealed record AttributedConversion(
    JourneyConversion Conversion,
    Touchpoint[] Path,
    int[] KeptIndices,
    List<TouchCredit> Credits)
{
    /// <summary>The kept touches' channels, in path order.</summary>
    public string[] KeptChannels => Array.ConvertAll(KeptIndices, i => Path[i].Channel);

    /// <summary>The kept touches, in path order.</summary>
    public Touchpoint[] KeptTouches => Array.ConvertAll(KeptIndices, i => Path[i]);

    /// <summary>Why nothing is credited (null when something is): one of the <see cref="MissReasons"/>.</summary>
    public string? MissReason { get; init; }

    /// <summary>The kept channels as ChannelAttribution writes a path (<c>A &gt; B</c>); "(none)" when nothing is kept.</summary>
    public string PathText => KeptIndices.Length == 0 ? JourneyAttributor.NoPath : string.Join(JourneyAttributor.Separator, KeptChannels);
}

/// <summary>Why a conversion has no touch to credit — the "checkout coverage" an analyst checks first.</summary>
public static class MissReasons
{
    /// <summary>The person has no (non-bot) visit at all: the snippet is missing on a page, or consent was refused.</summary>
    public const string NoVisit = "no_visit";

    /// <summary>Every visit came after the order (e.g. the thank-you page was the first tracked view).</summary>
    public const string VisitsOnlyAfter = "visits_only_after";

    /// <summary>Visits exist before the order, but all older than the lookback window.</summary>
    public const string OutsideLookback = "outside_lookback";
}
