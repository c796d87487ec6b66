using System.Buffers.Binary;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// The position up to which spooled records are stored in the event store. Written to a temp file,
/// fsynced and renamed over the old one, so a crash leaves either the old or the new checkpoint. A checkpoint
/// damaged all the same (bit rot) is no reason to stop: replaying from the oldest segment is safe, because the
/// store's dedup keeps each event once.
/// </summary>
internal static class SpoolCheckpoint
{
    public const string FileName = "checkpoint";
    private const int Size = 20;

    /// <summary>
    /// The saved checkpoint, <c>default</c> when there is none, or null when the file is damaged (wrong size, CRC
    /// mismatch, unreadable): then <paramref name="problem"/> says what, and the caller replays from the oldest segment.
    /// </summary>
    public static SpoolPosition? Load(string directory, out string? problem)
    {
        problem = null;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) { return default(SpoolPosition); }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = "unreadable: " + ex.Message;
            return null;
        }

        if (bytes.Length != Size)
        {
            problem = $"{bytes.Length} bytes instead of {Size}";
            return null;
        }

        if (Crc32C.Compute(bytes.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
        {
            problem = "checksum mismatch";
            return null;
        }

        var position = new SpoolPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        if (position.Segment < 0 || position.Offset < 0)
        {
            problem = $"impossible position {position}";
            return null;
        }

        return position;
    }

    public static void Save(string directory, SpoolPosition position)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32C.Compute(bytes[..16]));

        var temp = Path.Combine(directory, FileName + ".tmp");
        // A handle, not a FileStream: on a full disk a FileStream's Dispose flushes its buffer again and throws a second time.
        using (var handle = PrivateFiles.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
        DirectorySync.Flush(directory);
    }
}
