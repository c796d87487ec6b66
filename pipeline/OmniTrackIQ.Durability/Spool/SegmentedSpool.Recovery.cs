using Microsoft.Extensions.Logging;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// What the spool does at start with what a crash or a failing disk left: a torn tail is cut (and its bytes kept in
/// quarantine), a damaged checkpoint means replaying from the oldest segment. Damaged records with whole records
/// after them are not cut: the reader skips them (SpoolReader) and the sink reports them.
/// </summary>
public sealed partial class SegmentedSpool
{
    private long _tornBytesCut;

    /// <summary>Bytes cut off the end of the last segment at start because no whole record followed them (a torn write).</summary>
    public long TornBytesCut => Interlocked.Read(ref _tornBytesCut);

    private SpoolPosition LoadCheckpoint()
    {
        if (SpoolCheckpoint.Load(_directory, out var problem) is { } checkpoint) { return checkpoint; }

        // Replaying stored records again is safe (the store skips event ids it has); guessing a position is not.
        LogCheckpointDamaged(Path.Combine(_directory, SpoolCheckpoint.FileName), problem ?? "unknown");
        return default;
    }

    /// <summary>
    /// Only a tail that no whole record follows is a torn write: the last append, cut short by a crash before its
    /// fsync (such a record was never acknowledged). The file is cut back to the end of its last whole record; the
    /// bytes cut are kept in quarantine first, since bit rot in the very last record looks the same.
    /// </summary>
    private void CutTornTail(string path)
    {
        if (!File.Exists(path)) { return; }

        var valid = SpoolReader.ValidLength(path);
        var length = new FileInfo(path).Length;
        if (valid == length) { return; }

        var start = new SpoolPosition(SegmentFiles.SegmentOf(path), valid);
        string kept;
        try
        {
            kept = SpoolQuarantine.Keep(_directory, start, length - valid, tornTail: true).Path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk must not keep the collector from starting over a record that was never acknowledged.
            _logger.LogError(ex, "Could not copy the torn tail of {Path} to quarantine; cutting it all the same", path);
            kept = "nowhere";
        }

        _logger.LogWarning("Spool segment {Path} ends in a torn record: cutting {Bytes} bytes after offset {Offset} (kept in {Quarantine})", path, length - valid, valid, kept);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
        {
            stream.SetLength(valid);
            stream.Flush(flushToDisk: true);
        }

        Interlocked.Add(ref _tornBytesCut, length - valid);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Spool checkpoint {Path} is damaged ({Problem}): replaying from the oldest segment; the store's dedup keeps every event once")]
    private partial void LogCheckpointDamaged(string path, string problem);
}
