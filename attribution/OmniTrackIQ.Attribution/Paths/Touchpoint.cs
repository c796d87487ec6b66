namespace OmniTrackIQ.Attribution.Paths;

/// <summary>
/// One touch of a person's path. A readonly struct so a path is one contiguous array and the models can
/// walk it as a span without allocating.
/// </summary>
public readonly struct Touchpoint
{
    public Touchpoint(string channel, long timestampMs, TouchFlags flags = TouchFlags.None,
        string? source = null, string? medium = null, string? campaign = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Channel = channel;
        TimestampMs = timestampMs;
        Flags = flags;
        Source = source;
        Medium = medium;
        Campaign = campaign;
    }

    /// <summary>Channel the models credit (the default channel grouping, or a path file's channel name).</summary>
    public string Channel { get; }

    /// <summary>Touch time, Unix epoch milliseconds (the store keeps epoch ms; see DESIGN "ClickHouse versions").</summary>
    public long TimestampMs { get; }

    public TouchFlags Flags { get; }

    public string? Source { get; }

    public string? Medium { get; }

    public string? Campaign { get; }

    public bool IsDirect => (Flags & TouchFlags.Direct) != 0;

    public bool IsPaid => (Flags & TouchFlags.Paid) != 0;

    public bool IsLeadCreation => (Flags & TouchFlags.LeadCreation) != 0;

    /// <summary>Direct, organic or e-mail: the touches "paid clicks first" ignores when a paid touch exists.</summary>
    internal bool IsUnpaidOwned => (Flags & (TouchFlags.Direct | TouchFlags.Organic | TouchFlags.Email)) != 0;
}
