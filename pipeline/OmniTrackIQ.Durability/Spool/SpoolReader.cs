using System.Buffers;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Reads records back from segment files, in position order. Used for replay after a crash and to fill gaps when
/// the in-memory channel was full. A record that does not check out (magic, header CRC, payload CRC) does not end
/// the segment: the reader looks for the next record that does and reports the bytes in between as one damaged
/// stretch (<see cref="SpoolRecord.Damaged"/>), so one flipped bit costs one record, not everything after it
/// (as Vector's disk buffer skips and counts corrupted records). Legacy segments (no magic) cannot be
/// resynchronised: their rest after a bad record is one damaged stretch.
/// </summary>
public static class SpoolReader
{
    private const int ScanChunkBytes = 64 * 1024;

    /// <summary>Records (and damaged stretches) that start at or after <paramref name="from"/> and end at or before <paramref name="to"/>.</summary>
    public static IEnumerable<SpoolRecord> Read(string directory, SpoolPosition from, SpoolPosition to)
    {
        foreach (var segment in SegmentFiles.List(directory))
        {
            if (segment < from.Segment || segment > to.Segment) { continue; }

            var startOffset = segment == from.Segment ? from.Offset : 0;
            var endOffset = segment == to.Segment ? to.Offset : long.MaxValue;
            foreach (var record in ReadSegment(SegmentFiles.PathOf(directory, segment), segment, startOffset, endOffset))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Where a segment's torn tail starts: the end of its last whole record. Damaged stretches before that record
    /// are not a torn write (a record follows them) and stay for the reader to skip and report.
    /// </summary>
    public static long ValidLength(string path)
    {
        long valid = 0;
        foreach (var record in ReadSegment(path, 0, 0, long.MaxValue))
        {
            if (!record.Damaged) { valid = record.End.Offset; }
        }

        return valid;
    }

    /// <summary>Whether the segment was written before records had a magic (see <see cref="SpoolRecordFormat"/>).</summary>
    public static bool IsLegacy(string path)
    {
        using var stream = OpenRead(path);
        return IsLegacy(stream, new byte[SpoolRecordFormat.HeaderSize]);
    }

    private static IEnumerable<SpoolRecord> ReadSegment(string path, long segment, long startOffset, long endOffset)
    {
        using var stream = OpenRead(path);
        var limit = Math.Min(endOffset, stream.Length);
        var header = new byte[SpoolRecordFormat.HeaderSize];
        var legacy = IsLegacy(stream, header);
        var position = startOffset;
        while (position < limit)
        {
            if (TryReadRecord(stream, position, limit, legacy, header, out var payload, out var next, out var kind))
            {
                yield return new SpoolRecord(new SpoolPosition(segment, position), new SpoolPosition(segment, next), payload, Kind: kind);
                position = next;
                continue;
            }

            var resume = legacy ? limit : FindNextRecord(stream, position + 1, limit, header);
            yield return new SpoolRecord(new SpoolPosition(segment, position), new SpoolPosition(segment, resume), [], Damaged: true);
            position = resume;
        }
    }

    /// <summary>
    /// A segment is legacy when it does not start with the magic and its first bytes are a whole legacy record.
    /// A new segment whose first record is damaged is not taken for legacy: the legacy length would have to match a
    /// payload CRC by chance.
    /// </summary>
    private static bool IsLegacy(FileStream stream, byte[] header)
    {
        if (stream.Length < SpoolRecordFormat.LegacyHeaderSize) { return false; }

        stream.Position = 0;
        stream.ReadExactly(header, 0, SpoolRecordFormat.LegacyHeaderSize);
        if (header.AsSpan().StartsWith(SpoolRecordFormat.MagicPrefix)) { return false; }

        return TryReadRecord(stream, 0, stream.Length, legacy: true, header, out _, out _, out _);
    }

    /// <summary>
    /// Reads the record at <paramref name="position"/>; false when it is incomplete before <paramref name="limit"/> or does
    /// not check out. A legacy record's payload is JSON (the only kind there was).
    /// </summary>
    private static bool TryReadRecord(FileStream stream, long position, long limit, bool legacy, byte[] header, out byte[] payload, out long next, out SpoolRecordKind kind)
    {
        payload = [];
        next = position;
        kind = SpoolRecordKind.Json;
        var headerSize = legacy ? SpoolRecordFormat.LegacyHeaderSize : SpoolRecordFormat.HeaderSize;
        if (limit - position < headerSize) { return false; }

        if (stream.Position != position) { stream.Position = position; }
        stream.ReadExactly(header, 0, headerSize);
        var valid = legacy
            ? SpoolRecordFormat.TryReadLegacyHeader(header, out var length, out var crc)
            : SpoolRecordFormat.TryReadHeader(header, out length, out crc, out kind);
        if (!valid || limit - position - headerSize < length) { return false; }

        var body = new byte[length];
        stream.ReadExactly(body);
        if (Crc32C.Compute(body) != crc) { return false; }

        payload = body;
        next = position + headerSize + length;
        return true;
    }

    /// <summary>The start of the first whole record at or after <paramref name="from"/>, or <paramref name="limit"/> when none follows.</summary>
    private static long FindNextRecord(FileStream stream, long from, long limit, byte[] header)
    {
        var magic = SpoolRecordFormat.MagicPrefix;
        var chunk = ArrayPool<byte>.Shared.Rent(ScanChunkBytes);
        try
        {
            var chunkStart = from;
            while (limit - chunkStart >= SpoolRecordFormat.HeaderSize)
            {
                var count = (int)Math.Min(chunk.Length, limit - chunkStart);
                stream.Position = chunkStart;
                stream.ReadExactly(chunk, 0, count);
                var searched = 0;
                while (true)
                {
                    var found = chunk.AsSpan(searched, count - searched).IndexOf(magic);
                    if (found < 0) { break; }

                    var candidate = chunkStart + searched + found;
                    if (TryReadRecord(stream, candidate, limit, legacy: false, header, out _, out _, out _)) { return candidate; }
                    searched += found + 1;
                }

                // The next chunk overlaps this one by the magic's length less one, so a magic cut in two is still found.
                chunkStart += count - (magic.Length - 1);
            }

            return limit;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
}
