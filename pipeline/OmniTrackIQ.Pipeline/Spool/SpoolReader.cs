namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Reads records back from segment files, in position order, stopping a segment at its first
/// incomplete or corrupt record (a torn tail). Used for replay after a crash and to fill gaps
/// when the in-memory channel was full.
/// </summary>
public static class SpoolReader
{
    /// <summary>Records that start at or after <paramref name="from"/> and end at or before <paramref name="to"/>.</summary>
    public static IEnumerable<SpoolRecord> Read(string directory, SpoolPosition from, SpoolPosition to)
    {
        foreach (var segment in SegmentFiles.List(directory))
        {
            if (segment < from.Segment || segment > to.Segment) { continue; }

            var startOffset = segment == from.Segment ? from.Offset : 0;
            var endOffset = segment == to.Segment ? to.Offset : long.MaxValue;
            foreach (var record in ReadSegment(directory, segment, startOffset, endOffset))
            {
                yield return record;
            }
        }
    }

    /// <summary>Length of the valid prefix of a segment file: where a torn tail starts.</summary>
    public static long ValidLength(string path)
    {
        using var stream = OpenRead(path);
        long offset = 0;
        var header = new byte[SpoolRecordFormat.HeaderSize];
        while (TryReadRecord(stream, header, out _)) { offset = stream.Position; }
        return offset;
    }

    private static IEnumerable<SpoolRecord> ReadSegment(string directory, long segment, long startOffset, long endOffset)
    {
        using var stream = OpenRead(SegmentFiles.PathOf(directory, segment));
        stream.Position = startOffset;
        var header = new byte[SpoolRecordFormat.HeaderSize];
        while (stream.Position < endOffset)
        {
            var start = stream.Position;
            if (!TryReadRecord(stream, header, out var payload)) { yield break; }

            yield return new SpoolRecord(new SpoolPosition(segment, start), new SpoolPosition(segment, stream.Position), payload);
        }
    }

    private static bool TryReadRecord(FileStream stream, byte[] header, out byte[] payload)
    {
        payload = [];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) { return false; }
        if (!SpoolRecordFormat.TryReadHeader(header, out var length, out var crc)) { return false; }
        if (stream.Length - stream.Position < length) { return false; }

        payload = new byte[length];
        stream.ReadExactly(payload);
        return Crc32C.Compute(payload) == crc;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
}
