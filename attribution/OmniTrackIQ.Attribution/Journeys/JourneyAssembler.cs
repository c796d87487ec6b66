using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Journeys;

/// <summary>
/// Turns a store's event stream (ordered by person, time, message id) into one <see cref="PersonJourney"/> per
/// person, so every store applies the same rules: a page view is a new touch only when its channel or UTM
/// source / medium / campaign differ from the person's previous page view, or it came more than
/// <see cref="VisitGapMs"/> after it (the pages of one visit are one touch); touch flags come from the channel
/// (<see cref="ChannelFlags"/>); a person's lead time is their first identify.
/// </summary>
public sealed class JourneyAssembler(IReadOnlyDictionary<string, long> leadMs)
{
    /// <summary>A new page view of the same source within this gap is the same visit, not a new touch.</summary>
    public const long VisitGapMs = 30 * 60 * 1000;

    private string? _person;
    private Touchpoint? _lastPage;
    private List<Touchpoint> _touches = [];
    private List<JourneyConversion> _conversions = [];

    /// <summary>Every journey of <paramref name="events"/>, one person at a time (memory holds one person).</summary>
    public static IEnumerable<PersonJourney> Assemble(IEnumerable<JourneyEvent> events, IReadOnlyDictionary<string, long> leadMs)
    {
        var assembler = new JourneyAssembler(leadMs);
        foreach (var e in events)
        {
            if (assembler.Add(e) is { } journey) { yield return journey; }
        }

        if (assembler.Finish() is { } last) { yield return last; }
    }

    /// <summary>Adds the next event; returns the previous person's journey when this event starts a new person.</summary>
    public PersonJourney? Add(in JourneyEvent e)
    {
        PersonJourney? completed = null;
        if (_person is not null && !string.Equals(e.Person, _person, StringComparison.Ordinal)) { completed = Finish(); }
        _person = e.Person;
        if (e.IsConversion)
        {
            _conversions.Add(new JourneyConversion(e.OrderId ?? "", e.TimestampMs, e.Revenue, e.Currency));
            return completed;
        }

        var touch = new Touchpoint(e.Channel, e.TimestampMs, ChannelFlags.Of(e.Channel), e.Source, e.Medium, e.Campaign);
        var isNewVisit = _lastPage is not { } previous || e.TimestampMs - previous.TimestampMs > VisitGapMs || !SameSource(previous, touch);
        _lastPage = touch;
        if (isNewVisit) { _touches.Add(touch); }
        return completed;
    }

    /// <summary>The current person's journey (null when no event came since the last one), and a clean start.</summary>
    public PersonJourney? Finish()
    {
        if (_person is null) { return null; }
        var journey = new PersonJourney(_person, _touches, _conversions, leadMs.TryGetValue(_person, out var lead) ? lead : null);
        _person = null;
        _lastPage = null;
        _touches = [];
        _conversions = [];
        return journey;
    }

    private static bool SameSource(Touchpoint a, Touchpoint b) =>
        a.Channel == b.Channel && a.Source == b.Source && a.Medium == b.Medium && a.Campaign == b.Campaign;
}
