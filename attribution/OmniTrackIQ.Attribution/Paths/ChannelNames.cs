namespace OmniTrackIQ.Attribution.Paths;

/// <summary>Conventions for paths that carry only channel names (path files, aggregated paths).</summary>
public static class ChannelNames
{
    /// <summary>"direct" or "(direct)", any case: the direct channel in a path file.</summary>
    public static bool IsDirect(string channel) =>
        string.Equals(channel, "direct", StringComparison.OrdinalIgnoreCase)
        || string.Equals(channel, "(direct)", StringComparison.OrdinalIgnoreCase);
}
