using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>Credit of one touch of a conversion's path under one model; <see cref="TouchIndex"/> indexes <see cref="AttributedConversion.Path"/>.</summary>
public readonly record struct TouchCredit(string Model, int TouchIndex, double Credit);

/// <summary>
/// A conversion with its path (the person's touches inside the lookback window, time order), the
/// channels the options kept (what Markov, Shapley and the paths report see) and the heuristic credits.
/// A conversion with no kept touch has an empty <see cref="Credits"/>: it is unattributed.
/// </summary>
public sealed record AttributedConversion(
    JourneyConversion Conversion,
    Touchpoint[] Path,
    string[] KeptChannels,
    List<TouchCredit> Credits)
{
    /// <summary>The kept channels as ChannelAttribution writes a path (<c>A &gt; B</c>); "(none)" when nothing is kept.</summary>
    public string PathText => KeptChannels.Length == 0 ? JourneyAttributor.NoPath : string.Join(JourneyAttributor.Separator, KeptChannels);
}
