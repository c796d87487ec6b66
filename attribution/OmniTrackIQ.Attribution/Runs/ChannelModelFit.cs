using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Attribution.Runs;

/// <summary>
/// One channel's output of a data-driven model, as every store keeps it in <c>attribution_channel_models</c>: the
/// weight per-conversion credits are split by (Markov: removal effect; Shapley: conversions), the channel's credited
/// conversions and value, and Shapley's standard error (0 for Markov).
/// </summary>
public readonly record struct ChannelModelRow(string Model, string Channel, double Weight, double Conversions, double Value, double StandardError);

/// <summary>Fits Markov (removal effects) and Shapley over a workspace's aggregated paths, converting and not.</summary>
public static class ChannelModelFit
{
    public static List<ChannelModelRow> Fit(IReadOnlyList<PathCount> paths, int markovOrder) =>
        paths.Count == 0 ? [] : Rows(MarkovModel.Compute(paths, markovOrder), ShapleyModel.Compute(paths));

    /// <summary>
    /// The same fit from a store's kept sums over the paths (<see cref="ChannelModelCounts"/>): Shapley's game is played
    /// on the channel sets, each as one path of its channels (order and repeats do not matter to it).
    /// </summary>
    public static List<ChannelModelRow> Fit(ChannelModelCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var sets = counts.Ordered(CountKind.ChannelSet)
            .Select(r => new PathCount(ChannelModelCounts.ChannelsOf(r.Key.From), r.Value.Conversions, r.Value.Value, r.Value.Nulls))
            .ToList();
        return sets.Count == 0 ? [] : Rows(MarkovModel.Compute(counts), ShapleyModel.Compute(sets));
    }

    private static List<ChannelModelRow> Rows(MarkovResult markov, ShapleyResult shapley)
    {
        var rows = new List<ChannelModelRow>();
        foreach (var (channel, effect) in markov.RemovalEffects)
        {
            var credit = markov.Channels[channel];
            rows.Add(new ChannelModelRow(AttributionModels.Markov, channel, effect, credit.Conversions, credit.Value, 0));
        }

        foreach (var (channel, credit) in shapley.Channels)
        {
            rows.Add(new ChannelModelRow(AttributionModels.Shapley, channel, credit.Conversions, credit.Conversions, credit.Value,
                shapley.StandardErrors[channel].Conversions));
        }

        return rows;
    }
}
