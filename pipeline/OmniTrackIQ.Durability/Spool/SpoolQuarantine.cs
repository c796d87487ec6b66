using System.Buffers;
using System.Globalization;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Copies of spool bytes that could not be read as records, in <c>{spool}/quarantine/</c>: a damaged stretch as
/// <c>{segment}-{offset}.bin</c>, a torn tail cut at start as <c>{segment}-{offset}-torn.bin</c>. The segment they
/// came from is deleted once the records around them are stored, so this copy is what is left for a person to look
/// at (or to repair by hand). Nothing deletes them; they are small unless a disk is failing.
/// </summary>
public static class SpoolQuarantine
{
    public const string DirectoryName = "quarantine";
    private const int CopyChunkBytes = 64 * 1024;
    private const int HeadBytes = 256;

    /// <summary>
    /// Copies <paramref name="length"/> bytes of the segment from <paramref name="start"/> and fsyncs the copy;
    /// returns the copy's path and its first bytes (for a report that cannot hold the whole stretch).
    /// </summary>
    public static (string Path, byte[] Head) Keep(string spoolDirectory, SpoolPosition start, long length, bool tornTail = false)
    {
        var folder = Path.Combine(spoolDirectory, DirectoryName);
        PrivateFiles.CreateDirectory(folder);
        var name = start.Segment.ToString("D12", CultureInfo.InvariantCulture) + "-" + start.Offset.ToString(CultureInfo.InvariantCulture)
            + (tornTail ? "-torn" : "") + ".bin";
        var target = Path.Combine(folder, name);

        // Written again whole when the same stretch is met again (a replay after a crash before the checkpoint moved).
        using var source = new FileStream(SegmentFiles.PathOf(spoolDirectory, start.Segment), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        using var copy = PrivateFiles.Open(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = ArrayPool<byte>.Shared.Rent(CopyChunkBytes);
        byte[]? head = null;
        try
        {
            source.Position = start.Offset;
            for (var left = length; left > 0;)
            {
                var read = source.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
                if (read == 0) { break; } // the file is shorter than the stretch: keep what there is

                head ??= chunk.AsSpan(0, Math.Min(read, HeadBytes)).ToArray();
                copy.Write(chunk, 0, read);
                left -= read;
            }

            copy.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        DirectorySync.Flush(folder);
        return (target, head ?? []);
    }
}
