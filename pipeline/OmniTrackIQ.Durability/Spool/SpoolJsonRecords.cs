using System.Text.Json;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Reads the JSON records (<see cref="SpoolRecordKind.Json"/>) the collector wrote up to session 7. Kept only for the
/// upgrade: a spool left by that version (acknowledged events not yet stored) must drain after it, so no event is lost
/// and nobody must drain before upgrading. Nothing writes JSON records any more; delete this reader (and the kind) once
/// no spool can hold one: the release after the one that ships the binary record, whose notes say to drain first
/// (<c>drain-spool</c>) when upgrading from a version older than this one.
/// </summary>
internal static class SpoolJsonRecords
{
    public static bool TryDecode(ReadOnlySpan<byte> payload, List<TrackedEvent> into, out string? error)
    {
        List<TrackedEvent>? events;
        try
        {
            events = JsonSerializer.Deserialize(payload, SpoolJsonContext.Default.ListTrackedEvent);
        }
        catch (JsonException ex)
        {
            error = "not a JSON batch: " + ex.Message;
            return false;
        }

        // The serializer takes "null" for the list or an event, and null for a non-nullable string: none is an event.
        if (events is null || events.Exists(e => e is null || e.Workspace is null || e.MessageId is null))
        {
            error = "a JSON batch with a null event, workspace or message id";
            return false;
        }

        into.AddRange(events);
        error = null;
        return true;
    }
}
