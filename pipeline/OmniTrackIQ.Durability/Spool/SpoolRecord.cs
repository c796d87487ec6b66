namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// One record read back from the spool, with the positions where it starts and ends; or, when
/// <paramref name="Damaged"/>, a stretch of a segment that holds no readable record (bit rot, a zeroed page, a cut
/// file): its bytes are skipped and kept in quarantine, and reading goes on after it. A damaged stretch has no payload.
/// <paramref name="Kind"/> says how the payload is encoded (its header's magic; <see cref="SpoolBatchCodec"/> decodes both).
/// </summary>
public readonly record struct SpoolRecord(SpoolPosition Start, SpoolPosition End, byte[] Payload, bool Damaged = false, SpoolRecordKind Kind = SpoolRecordKind.Binary)
{
    /// <summary>How many bytes of the segment the record or the damaged stretch covers.</summary>
    public long Length => End.Offset - Start.Offset;
}
