namespace OmniTrackIQ.Attribution.Paths;

/// <summary>Splits "A &gt; B &gt; C" into trimmed channel names, as ChannelAttribution reads a path.</summary>
public static class PathText
{
    /// <summary>False (with the reason) for a blank path or an empty channel; <paramref name="channels"/> is cleared first.</summary>
    public static bool TrySplit(string text, string separator, List<string> channels, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(channels);
        channels.Clear();
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the path is empty";
            return false;
        }

        var parts = text.Split(separator);
        for (var i = 0; i < parts.Length; i++)
        {
            var channel = parts[i].Trim();
            if (channel.Length == 0)
            {
                error = $"channel {i + 1} of path \"{text}\" is empty";
                return false;
            }

            channels.Add(channel);
        }

        error = string.Empty;
        return true;
    }
}
