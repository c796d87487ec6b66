namespace OmniTrackIQ.Pipeline.Events;

/// <summary>The four event types of the wire format (DESIGN.md "Wire format").</summary>
public enum EventType : byte
{
    Page = 1,
    Track = 2,
    Identify = 3,
    Conversion = 4,
}
