namespace OmniTrackIQ.Attribution.Paths;

/// <summary>The touch flags a channel name carries (the channel classifier's names, README "Channels").</summary>
public static class ChannelFlags
{
    public static TouchFlags Of(string channel)
    {
        if (channel == "Direct") { return TouchFlags.Direct; }
        if (channel.StartsWith("Paid", StringComparison.Ordinal) || channel == "Cross-network") { return TouchFlags.Paid; }
        if (channel.StartsWith("Organic", StringComparison.Ordinal)) { return TouchFlags.Organic; }
        return channel == "Email" ? TouchFlags.Email : TouchFlags.None;
    }
}
