using Microsoft.Extensions.Logging;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// The append side of the durable spool: append-only segment files with CRC-framed records.
/// Not thread-safe: exactly one writer loop (<see cref="SpoolWriter"/>) appends and flushes;
/// <see cref="Commit"/> may be called by the sink concurrently (it touches only the checkpoint
/// file and old segments).
/// </summary>
public sealed class SegmentedSpool : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly ILogger _logger;
    private readonly Lock _commitLock = new();
    private readonly Lock _endLock = new();
    private readonly FileStream _lock;
    private FileStream _current;
    private long _currentSegment;
    private long _bytesOnDisk;
    private SpoolPosition _durableEnd;
    private SpoolPosition _checkpoint;

    private SegmentedSpool(string directory, long segmentBytes, ILogger logger)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _logger = logger;
        Directory.CreateDirectory(directory);
        _lock = AcquireLock(directory);
        _checkpoint = SpoolCheckpoint.Load(directory);

        var segments = SegmentFiles.List(directory);
        _currentSegment = segments.Count > 0 ? segments[^1] : Math.Max(1, _checkpoint.Segment);
        var path = SegmentFiles.PathOf(directory, _currentSegment);
        CutTornTail(path);
        _current = OpenAppend(path);
        _durableEnd = new SpoolPosition(_currentSegment, _current.Length);
        foreach (var segment in segments)
        {
            _bytesOnDisk += new FileInfo(SegmentFiles.PathOf(directory, segment)).Length;
        }

        if (_checkpoint.Segment == 0) { _checkpoint = new SpoolPosition(segments.Count > 0 ? segments[0] : _currentSegment, 0); }
    }

    public static SegmentedSpool Open(string directory, long segmentBytes, ILogger logger) => new(directory, segmentBytes, logger);

    public string DirectoryPath => _directory;

    /// <summary>End of the last record known to be on disk (fsynced).</summary>
    public SpoolPosition DurableEnd { get { lock (_endLock) { return _durableEnd; } } }

    /// <summary>Everything before this position is in the event store.</summary>
    public SpoolPosition Checkpoint { get { lock (_commitLock) { return _checkpoint; } } }

    /// <summary>Bytes held by segment files, stored or not: what the size limit is checked against.</summary>
    public long BytesOnDisk => Interlocked.Read(ref _bytesOnDisk);

    /// <summary>Appends one record (buffered); returns its start and end. Call <see cref="Flush"/> to make it durable.</summary>
    public (SpoolPosition Start, SpoolPosition End) Append(ReadOnlySpan<byte> payload)
    {
        var recordSize = SpoolRecordFormat.HeaderSize + payload.Length;
        if (_current.Length > 0 && _current.Length + recordSize > _segmentBytes)
        {
            Roll();
        }

        var start = new SpoolPosition(_currentSegment, _current.Position);
        Span<byte> header = stackalloc byte[SpoolRecordFormat.HeaderSize];
        SpoolRecordFormat.WriteHeader(header, payload);
        _current.Write(header);
        _current.Write(payload);
        Interlocked.Add(ref _bytesOnDisk, recordSize);
        return (start, new SpoolPosition(_currentSegment, _current.Position));
    }

    /// <summary>Writes buffered records and fsyncs: one call serves every record appended since the last one.</summary>
    public void Flush()
    {
        _current.Flush(flushToDisk: true);
        var end = new SpoolPosition(_currentSegment, _current.Position);
        lock (_endLock) { _durableEnd = end; }
    }

    /// <summary>Records up to <paramref name="position"/> are stored: persist that, delete segments wholly before it.</summary>
    public void Commit(SpoolPosition position)
    {
        lock (_commitLock)
        {
            if (position <= _checkpoint) { return; }

            SpoolCheckpoint.Save(_directory, position);
            _checkpoint = position;
            foreach (var segment in SegmentFiles.List(_directory))
            {
                if (segment >= position.Segment) { break; }

                var path = SegmentFiles.PathOf(_directory, segment);
                var length = new FileInfo(path).Length;
                File.Delete(path);
                Interlocked.Add(ref _bytesOnDisk, -length);
            }
        }
    }

    public void Dispose()
    {
        _current.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// One process per spool directory: a second collector (or one still draining on shutdown) sharing it
    /// would checkpoint and delete the other's segments. .NET takes an advisory exclusive lock (flock) for
    /// FileShare.None on Unix, released when the process exits, so a crash never leaves it stuck.
    /// </summary>
    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, "lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"the spool directory {directory} is in use by another collector process (lock file {path})", ex);
        }
    }

    private void Roll()
    {
        Flush();
        _current.Dispose();
        _currentSegment++;
        _current = OpenAppend(SegmentFiles.PathOf(_directory, _currentSegment));
        DirectorySync.Flush(_directory);
    }

    private void CutTornTail(string path)
    {
        if (!File.Exists(path)) { return; }

        var valid = SpoolReader.ValidLength(path);
        var length = new FileInfo(path).Length;
        if (valid == length) { return; }

        _logger.LogWarning("Spool segment {Path} ends in a torn record: cutting {Bytes} bytes after offset {Offset}", path, length - valid, valid);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(valid);
        stream.Flush(flushToDisk: true);
    }

    private static FileStream OpenAppend(string path)
    {
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, 256 * 1024);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }
}
