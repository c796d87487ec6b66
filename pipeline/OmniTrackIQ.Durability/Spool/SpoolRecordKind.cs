namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// What a record's payload holds: the fourth byte of its magic (<see cref="SpoolRecordFormat"/>), so a reader knows
/// how to decode a record before it looks at the payload, and one segment may hold both kinds (an upgrade mid-segment).
/// </summary>
public enum SpoolRecordKind : byte
{
    /// <summary>
    /// <c>'Q'</c>: a JSON array of events (<see cref="SpoolJsonContext"/>), written up to session 7. Read only, so that a
    /// spool left by that version drains after the upgrade; see <see cref="SpoolBatchCodec"/>.
    /// </summary>
    Json = (byte)'Q',

    /// <summary><c>'B'</c>: the binary event batch of <see cref="SpoolBatchCodec"/>, version 1. The only kind written.</summary>
    Binary = (byte)'B',
}
