using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Shapley;

/// <summary>
/// The game behind <see cref="ShapleyModel"/>: the distinct channel sets of the paths, each with its
/// summed conversions and value. v(S) = Σ weight of the sets contained in S.
/// </summary>
internal sealed class CoalitionGame
{
    private CoalitionGame(List<string> players, List<string> dummies, List<int[]> sets, List<double> conversions, List<double> values)
    {
        Players = players;
        Dummies = dummies;
        Sets = sets;
        Conversions = conversions;
        Values = values;
    }

    /// <summary>Channels on at least one path with conversions or value.</summary>
    public IReadOnlyList<string> Players { get; }

    /// <summary>Channels only on paths that add nothing to v; their Shapley value is exactly 0.</summary>
    public IReadOnlyList<string> Dummies { get; }

    /// <summary>Distinct channel sets as sorted player indices.</summary>
    public IReadOnlyList<int[]> Sets { get; }

    public IReadOnlyList<double> Conversions { get; }

    public IReadOnlyList<double> Values { get; }

    public static CoalitionGame Build(IReadOnlyList<PathCount> paths)
    {
        // Players are numbered in ordinal order of their names, not in the order the paths come: the sampled game
        // (above ExactMaxChannels) shuffles player indices, so this keeps its estimate the same for the same paths
        // whichever order a store reads them in, or when it is played on channel sets rather than paths.
        var players = WeightedChannels(paths);
        var ids = new Dictionary<string, int>(players.Count, StringComparer.Ordinal);
        for (var i = 0; i < players.Count; i++)
        {
            ids.Add(players[i], i);
        }

        var setIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var sets = new List<int[]>();
        var conversions = new List<double>();
        var values = new List<double>();
        var members = new List<int>();
        foreach (var path in paths)
        {
            if (path.Conversions == 0 && path.Value == 0)
            {
                continue;
            }

            members.Clear();
            foreach (var channel in path.ChannelSpan)
            {
                var id = ids[channel];
                if (!members.Contains(id))
                {
                    members.Add(id);
                }
            }

            members.Sort();
            var key = string.Join(',', members);
            if (setIds.TryGetValue(key, out var set))
            {
                conversions[set] += path.Conversions;
                values[set] += path.Value;
            }
            else
            {
                setIds.Add(key, sets.Count);
                sets.Add([.. members]);
                conversions.Add(path.Conversions);
                values.Add(path.Value);
            }
        }

        var dummies = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var channel in path.ChannelSpan)
            {
                if (!ids.ContainsKey(channel) && seen.Add(channel))
                {
                    dummies.Add(channel);
                }
            }
        }

        return new CoalitionGame(players, dummies, sets, conversions, values);
    }

    /// <summary>The channels of the paths with conversions or value, in ordinal order.</summary>
    private static List<string> WeightedChannels(IReadOnlyList<PathCount> paths)
    {
        var players = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (path.Conversions == 0 && path.Value == 0)
            {
                continue;
            }

            foreach (var channel in path.ChannelSpan)
            {
                players.Add(channel);
            }
        }

        return [.. players];
    }
}
