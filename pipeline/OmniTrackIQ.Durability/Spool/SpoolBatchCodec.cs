using System.Buffers;
using OmniTrackIQ.Pipeline.Events;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// A spool record's payload: one accepted batch of enriched events, encoded once by the request that accepted it and
/// decoded by the sink when it reads the batch back from disk (replay, overflow). Binary, version 1
/// (<see cref="SpoolRecordKind.Binary"/>), little-endian:
/// <code>
/// varint count, then per event:
///   u8 type · u8 switches (bit 0 GlobalPrivacyControl, bit 1 IsBot, bits 2-3 ConsentAnalytics, bits 4-5 ConsentAds:
///        0 null, 1 false, 2 true) · u8 present (bit 0 Timestamp, 1 OrderUpdatedAt, 2 Revenue, 3 Refunded, 4 NetRevenue, 5 Asn)
///   time ReceivedAt · time Ts · [time Timestamp] · [time OrderUpdatedAt]
///   [decimal Revenue] · [decimal Refunded] · [decimal NetRevenue] · [u32 Asn]
///   42 strings in the order of <see cref="SpoolEventFields"/>: varint (UTF-8 byte length + 1, 0 = null), then the bytes
/// time = i64 clock ticks + i16 offset minutes (the offset is kept, as JSON kept it)
/// decimal = the four ints of decimal.GetBits (lo, mid, hi, flags)
/// </code>
/// The fields are the ones JSON carried (every <see cref="TrackedEvent"/> property without [JsonIgnore]); properties
/// JSON is one of the strings, its UTF-8 bytes as they are. Reserved bits must be zero, so a record written by a later
/// version with more fields is refused with a reason, never misread.
/// Decoding never throws on bad bytes: it returns false and a reason, and the sink keeps the record in bad_events.
/// </summary>
public static class SpoolBatchCodec
{
    /// <summary>Encodes <paramref name="events"/> into <paramref name="output"/> (the spool writer's pooled buffer), one span per event.</summary>
    public static void Encode(IReadOnlyList<TrackedEvent> events, IBufferWriter<byte> output)
    {
        var head = output.GetSpan(SpoolBinaryWriter.MaxVarIntBytes);
        var count = new SpoolBinaryWriter(head);
        count.VarUInt((uint)events.Count);
        output.Advance(count.Written);
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i];
            var writer = new SpoolBinaryWriter(output.GetSpan(SpoolEventFields.MaxEncodedBytes(evt)));
            SpoolEventFields.Write(ref writer, evt);
            output.Advance(writer.Written);
        }
    }

    /// <summary>
    /// Appends the events of one record's payload to <paramref name="into"/>; false (and nothing appended) with the
    /// reason when the payload is not a whole, valid batch of its kind.
    /// </summary>
    public static bool TryDecode(SpoolRecordKind kind, ReadOnlySpan<byte> payload, List<TrackedEvent> into, out string? error) => kind switch
    {
        SpoolRecordKind.Binary => TryDecodeBinary(payload, into, out error),
        SpoolRecordKind.Json => SpoolJsonRecords.TryDecode(payload, into, out error),
        _ => Refuse($"unknown record kind 0x{(byte)kind:X2}", out error),
    };

    private static bool TryDecodeBinary(ReadOnlySpan<byte> payload, List<TrackedEvent> into, out string? error)
    {
        var reader = new SpoolBinaryReader(payload, SpoolEventFields.StringCount);
        var count = reader.VarUInt("count");
        // Every event takes at least 3 + 20 + 42 bytes: a count the payload cannot hold is damage, not a reason to allocate.
        if (!reader.Failed && count > (uint)(payload.Length - reader.Position) / SpoolEventFields.MinEncodedBytes)
        {
            return Refuse($"{count} events cannot fit in {payload.Length - reader.Position} bytes", out error);
        }

        var before = into.Count;
        into.EnsureCapacity(before + (int)count);
        for (var i = 0; i < count && !reader.Failed; i++)
        {
            var evt = SpoolEventFields.Read(ref reader);
            if (!reader.Failed) { into.Add(evt); }
        }

        if (!reader.Failed && !reader.AtEnd) { reader.Fail("payload", $"{payload.Length - reader.Position} bytes after the last event"); }
        if (reader.Failed)
        {
            into.RemoveRange(before, into.Count - before);
            error = reader.Error;
            return false;
        }

        error = null;
        return true;
    }

    private static bool Refuse(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
