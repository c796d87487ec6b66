namespace OmniTrackIQ.Pipeline.Sink;

/// <summary><c>bad_events</c> retention (section <c>OmniTrack:BadEvents</c>).</summary>
public sealed class BadEventRetentionOptions
{
    public const string Section = "OmniTrack:BadEvents";

    internal const int DefaultRetentionDays = 30;

    /// <summary>Days a refused payload is kept, counted from its receipt; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = DefaultRetentionDays;

    /// <summary>How often old rows are deleted (the first pass runs at start).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Null when the options can run, else why not (names the setting).</summary>
    public string? Problem() =>
        RetentionDays < 0 ? $"{Section}:RetentionDays must be 0 (keep forever) or more, not {RetentionDays}"
        : Interval <= TimeSpan.Zero ? $"{Section}:Interval must be positive, not {Interval}"
        : null;
}
