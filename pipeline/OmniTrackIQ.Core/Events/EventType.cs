namespace OmniTrackIQ.Pipeline.Events;

/// <summary>
/// Event types: our four (DESIGN.md "Wire format") plus Segment's screen, group and alias, which
/// Segment-spec clients send and we store as they are (README "Sending from Segment-spec clients").
/// </summary>
public enum EventType : byte
{
    Page = 1,
    Track = 2,
    Identify = 3,
    Conversion = 4,
    /// <summary>A mobile app's page view: stored like a page (name in <c>event</c> and <c>page_title</c>).</summary>
    Screen = 5,
    /// <summary>The user joined an account (<see cref="TrackedEvent.GroupId"/>, its traits in properties).</summary>
    Group = 6,
    /// <summary><see cref="TrackedEvent.PreviousId"/> and the user id are one person: an identity link.</summary>
    Alias = 7,
}

/// <summary>Wire names of <see cref="EventType"/>.</summary>
public static class EventTypes
{
    public static string Name(EventType type) => type switch
    {
        EventType.Page => "page",
        EventType.Track => "track",
        EventType.Identify => "identify",
        EventType.Conversion => "conversion",
        EventType.Screen => "screen",
        EventType.Group => "group",
        EventType.Alias => "alias",
        _ => "unknown",
    };
}
