using System.Buffers.Binary;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// The position up to which spooled records are stored in the event store. Written to a temp file,
/// fsynced and renamed over the old one, so a crash leaves either the old or the new checkpoint.
/// </summary>
internal static class SpoolCheckpoint
{
    private const string FileName = "checkpoint";

    public static SpoolPosition Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) { return default; }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != 20 || Crc32C.Compute(bytes.AsSpan(0, 16)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)))
        {
            throw new InvalidDataException($"spool checkpoint {path} is corrupt; refusing to guess where to resume");
        }

        return new SpoolPosition(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
    }

    public static void Save(string directory, SpoolPosition position)
    {
        Span<byte> bytes = stackalloc byte[20];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[16..], Crc32C.Compute(bytes[..16]));

        var temp = Path.Combine(directory, FileName + ".tmp");
        // A handle, not a FileStream: on a full disk a FileStream's Dispose flushes its buffer again and throws a second time.
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
        DirectorySync.Flush(directory);
    }
}
