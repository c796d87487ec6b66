using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Heuristics;

/// <summary>
/// Heuristic models over aggregated paths (path files). A path file has no timestamps or flags, so:
/// the direct channel is recognised by name (<see cref="ChannelNames.IsDirect"/>); time decay uses the
/// positional convention of <see cref="AttributionOptions.UntimedStep"/> (last touch at the conversion,
/// each earlier touch one step older); W-shaped has no lead-creation touch, so its 30 % first, 30 % last
/// and 10 % over the middle are normalised (3/7, 3/7, 1/7; see README.md).
/// </summary>
public static class PathCountHeuristics
{
    /// <param name="isDirect">Which channel names are direct; default <see cref="ChannelNames.IsDirect"/>.</param>
    public static IReadOnlyDictionary<string, ChannelCredit> Attribute(HeuristicModel model, IReadOnlyList<PathCount> paths,
        AttributionOptions? options = null, Func<string, bool>? isDirect = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options = (options ?? AttributionOptions.Default).Validate();
        var stepMs = (long)options.UntimedStep.TotalMilliseconds;
        var totals = new SortedDictionary<string, ChannelCredit>(StringComparer.Ordinal);
        var touches = new Touchpoint[16];
        var credits = new double[16];
        var attributor = new PathAttributor(options);
        foreach (var path in paths)
        {
            var channels = path.ChannelSpan;
            var n = channels.Length;
            if (touches.Length < n)
            {
                touches = new Touchpoint[Math.Max(n, touches.Length * 2)];
                credits = new double[touches.Length];
            }

            for (var i = 0; i < n; i++)
            {
                var flags = (isDirect ?? ChannelNames.IsDirect)(channels[i]) ? TouchFlags.Direct : TouchFlags.None;
                touches[i] = new Touchpoint(channels[i], -(n - 1 - i) * stepMs, flags);
            }

            var span = credits.AsSpan(0, n);
            if (attributor.Attribute(model, touches.AsSpan(0, n), 0, span) == 0)
            {
                continue;
            }

            for (var i = 0; i < n; i++)
            {
                if (span[i] == 0)
                {
                    continue;
                }

                totals.TryGetValue(channels[i], out var total);
                totals[channels[i]] = new ChannelCredit(total.Conversions + (span[i] * path.Conversions), total.Value + (span[i] * path.Value));
            }
        }

        // Channels that appear only with zero credit are listed too, so every model names the same channels.
        foreach (var path in paths)
        {
            foreach (var channel in path.ChannelSpan)
            {
                totals.TryAdd(channel, default);
            }
        }

        return totals;
    }
}
