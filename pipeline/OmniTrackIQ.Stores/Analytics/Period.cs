namespace OmniTrackIQ.Pipeline.Analytics;

/// <summary>A half-open time range [From, To) in UTC, and the one of the same length just before it.</summary>
public readonly record struct Period(DateTime From, DateTime To)
{
    /// <summary>The longest range the analyst API answers (a daily series asks the store once a day).</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(400);

    public TimeSpan Length => To - From;

    public Period Previous => new(From - Length, From);

    public bool Contains(DateTime ts) => ts >= From && ts < To;

    /// <summary>
    /// The UTC calendar days the range touches, each clipped to the range: [from, to) of 2026-11-01 12:00 to
    /// 2026-11-03 00:00 is (11-01, 12:00–24:00) and (11-02, 00:00–24:00).
    /// </summary>
    public IEnumerable<(DateOnly Day, Period Window)> Days()
    {
        for (var start = From.Date; start < To; start = start.AddDays(1))
        {
            var end = start.AddDays(1);
            yield return (DateOnly.FromDateTime(start), new Period(start < From ? From : start, end > To ? To : end));
        }
    }
}
