using OmniTrackIQ.Attribution.Heuristics;

namespace OmniTrackIQ.Attribution.Paths;

/// <summary>Turns per-person paths into ChannelAttribution's aggregated shape for Markov and Shapley.</summary>
public static class PathCounts
{
    /// <summary>
    /// Groups paths by their channel sequence (after the query's lookback / paid-first filters), summing
    /// conversions, value and nulls. Paths left without a touch are dropped (nothing to credit), which
    /// <paramref name="unattributed"/> reports so the caller can show it.
    /// </summary>
    public static IReadOnlyList<PathCount> Aggregate(IEnumerable<ConversionPath> paths, AttributionOptions? options, out double unattributed)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options = (options ?? AttributionOptions.Default).Validate();
        var groups = new Dictionary<string, (string[] Channels, double Conversions, double Value, double Nulls)>(StringComparer.Ordinal);
        var order = new List<string>();
        var selected = new int[16];
        unattributed = 0;
        foreach (var path in paths)
        {
            var touches = path.Touchpoints;
            if (selected.Length < touches.Length)
            {
                selected = new int[Math.Max(touches.Length, selected.Length * 2)];
            }

            var count = TouchpointFilter.Select(touches, path.ConversionTimestampMs, options, selected);
            if (count == 0)
            {
                unattributed += path.Conversions;
                continue;
            }

            var channels = new string[count];
            for (var k = 0; k < count; k++)
            {
                channels[k] = touches[selected[k]].Channel;
            }

            // U+001F (unit separator) cannot appear in a channel name from the grouping, so keys are unique.
            var key = string.Join('\u001F', channels);
            if (groups.TryGetValue(key, out var group))
            {
                groups[key] = (group.Channels, group.Conversions + path.Conversions, group.Value + path.Value, group.Nulls + path.Nulls);
            }
            else
            {
                groups[key] = (channels, path.Conversions, path.Value, path.Nulls);
                order.Add(key);
            }
        }

        var result = new PathCount[order.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var group = groups[order[i]];
            result[i] = new PathCount(group.Channels, group.Conversions, group.Value, group.Nulls);
        }

        return result;
    }
}
