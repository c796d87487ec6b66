using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using OmniTrackIQ.Pipeline.Files;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// The append side of the durable spool: append-only segment files with CRC-framed records.
/// Not thread-safe: exactly one writer loop (<see cref="SpoolWriter"/>) appends and flushes;
/// <see cref="Commit"/> may be called by the sink concurrently (it touches only the checkpoint
/// file and old segments).
/// Records are gathered in our own buffer and written with positional writes (no FileStream buffer): when a
/// write or fsync fails (a full disk), everything after the last durable record is cut off again and the buffer
/// dropped, so the file never keeps a torn record, nothing is left to flush on Dispose, and the next append
/// after space returns starts at the durable end.
/// A segment is closed when it reaches its size or when its first record is older than its age limit, so a quiet
/// shop's events do not wait weeks on disk: once the sink has stored everything in a closed segment, Commit deletes it.
/// Recovery at start (torn tail, damaged checkpoint, legacy segments) is in SegmentedSpool.Recovery.cs.
/// </summary>
public sealed partial class SegmentedSpool : IDisposable
{
    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly TimeSpan _maxSegmentAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _commitLock = new();
    private readonly Lock _endLock = new();
    private const int BufferBytes = 256 * 1024;
    private const int ProbeBytes = 64 * 1024;
    private const string ProbeFileName = "probe.tmp";
    private readonly FileStream _lock;
    private SafeFileHandle _current;
    private long _currentSegment;
    /// <summary>Bytes of the current segment known to be on disk (fsynced); a failure cuts the file back to it.</summary>
    private long _durableLength;
    /// <summary>Bytes of the current segment written to the file (durable or not).</summary>
    private long _writtenLength;
    /// <summary>Appended records not yet written to the file.</summary>
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _pendingLength;
    /// <summary>A failed cut-back: the file may hold bytes after <see cref="_durableLength"/> until it is retried.</summary>
    private bool _mustTruncate;
    private long _bytesOnDisk;
    private SpoolPosition _durableEnd;
    private SpoolPosition _checkpoint;
    /// <summary>When the current segment's first record was appended (<see cref="TimeProvider.GetTimestamp"/>); 0 while it is empty.</summary>
    private long _segmentStartedAt;

    private SegmentedSpool(string directory, long segmentBytes, TimeSpan maxSegmentAge, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(segmentBytes, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxSegmentAge, TimeSpan.Zero);
        _directory = directory;
        _segmentBytes = segmentBytes;
        _maxSegmentAge = maxSegmentAge;
        _time = time;
        _logger = logger;
        PrivateFiles.CreateDirectory(directory);
        _lock = AcquireLock(directory);
        if (!PrivateFiles.TryRestrict(directory))
        {
            _logger.LogWarning("Could not make the spool directory {Directory} and its files owner-only (another user owns them)", directory);
        }

        _checkpoint = LoadCheckpoint();

        var segments = SegmentFiles.List(directory);
        _currentSegment = segments.Count > 0 ? segments[^1] : Math.Max(1, _checkpoint.Segment);
        var path = SegmentFiles.PathOf(directory, _currentSegment);
        CutTornTail(path);
        if (segments.Count > 0 && new FileInfo(path).Length > 0 && SpoolReader.IsLegacy(path))
        {
            // Written by a version without the record magic: read as it is, but never appended to in the new format.
            _logger.LogInformation("Spool segment {Path} is in the legacy record format; new records go to a new segment", path);
            _currentSegment++;
            path = SegmentFiles.PathOf(directory, _currentSegment);
        }

        _current = OpenAppend(path);
        _durableLength = _writtenLength = RandomAccess.GetLength(_current);
        _durableEnd = new SpoolPosition(_currentSegment, _durableLength);
        if (_durableLength > 0) { _segmentStartedAt = _time.GetTimestamp(); } // its real age is unknown: counted from now
        foreach (var segment in SegmentFiles.List(directory))
        {
            _bytesOnDisk += new FileInfo(SegmentFiles.PathOf(directory, segment)).Length;
        }

        if (_checkpoint.Segment == 0) { _checkpoint = new SpoolPosition(segments.Count > 0 ? segments[0] : _currentSegment, 0); }
    }

    /// <param name="maxSegmentAge">A segment is closed once its first record is this old (default <see cref="SpoolOptions.DefaultMaxSegmentAge"/>).</param>
    /// <param name="time">The clock of the age limit.</param>
    public static SegmentedSpool Open(string directory, long segmentBytes, ILogger logger, TimeSpan? maxSegmentAge = null, TimeProvider? time = null) =>
        new(directory, segmentBytes, maxSegmentAge ?? SpoolOptions.DefaultMaxSegmentAge, time ?? TimeProvider.System, logger);

    public string DirectoryPath => _directory;

    /// <summary>End of the last record known to be on disk (fsynced).</summary>
    public SpoolPosition DurableEnd { get { lock (_endLock) { return _durableEnd; } } }

    /// <summary>Everything before this position is in the event store.</summary>
    public SpoolPosition Checkpoint { get { lock (_commitLock) { return _checkpoint; } } }

    /// <summary>Bytes held by segment files, stored or not: what the size limit is checked against.</summary>
    public long BytesOnDisk => Interlocked.Read(ref _bytesOnDisk);

    /// <summary>
    /// How long until the current segment is due to be closed for its age; null while it is empty (nothing to age).
    /// The writer loop wakes at that time when no append comes to do it (<see cref="RollIfDue"/>).
    /// </summary>
    public TimeSpan? RollDueIn => Length == 0 ? null : _maxSegmentAge - _time.GetElapsedTime(_segmentStartedAt);

    /// <summary>Closes the current segment and starts the next when its first record is older than the age limit.</summary>
    public void RollIfDue()
    {
        if (RollDueIn is { } due && due <= TimeSpan.Zero) { Roll(); }
    }

    /// <summary>
    /// Appends one record (buffered); returns its start and end. Call <see cref="Flush"/> to make it durable.
    /// On an IOException nothing appended since the last <see cref="Flush"/> is kept (see <see cref="Flush"/>).
    /// </summary>
    public (SpoolPosition Start, SpoolPosition End) Append(ReadOnlySpan<byte> payload)
    {
        var recordSize = SpoolRecordFormat.HeaderSize + payload.Length;
        if (Length > 0 && Length + recordSize > _segmentBytes)
        {
            Roll();
        }

        if (_pendingLength > 0 && _pendingLength + recordSize > _pending.Length) { WriteOut(); }
        if (recordSize > _pending.Length) { Grow(recordSize); }
        if (Length == 0) { _segmentStartedAt = _time.GetTimestamp(); }

        var start = new SpoolPosition(_currentSegment, Length);
        var target = _pending.AsSpan(_pendingLength, recordSize);
        SpoolRecordFormat.WriteHeader(target, payload);
        payload.CopyTo(target[SpoolRecordFormat.HeaderSize..]);
        _pendingLength += recordSize;
        Interlocked.Add(ref _bytesOnDisk, recordSize);
        return (start, new SpoolPosition(_currentSegment, Length));
    }

    /// <summary>
    /// Writes buffered records and fsyncs: one call serves every record appended since the last one. When the write
    /// or the fsync fails, the segment is cut back to the last durable record and the buffer dropped before the
    /// exception is rethrown: none of those records may be acknowledged, and none is left half on disk.
    /// </summary>
    public void Flush()
    {
        WriteOut();
        if (_writtenLength == _durableLength && !_mustTruncate) { return; }

        try
        {
            RandomAccess.FlushToDisk(_current);
        }
        catch (IOException)
        {
            Rollback();
            throw;
        }

        _durableLength = _writtenLength;
        var end = new SpoolPosition(_currentSegment, _durableLength);
        lock (_endLock) { _durableEnd = end; }
    }

    /// <summary>
    /// Whether the disk takes writes again after a failure: finishes a cut-back that could not be done then, and
    /// writes, fsyncs and deletes a small file. Its size is a margin: a probe of one byte would pass on a disk with
    /// a few bytes free and the next request would fail again. Throws the IOException when it cannot.
    /// </summary>
    public void Probe()
    {
        TruncateToDurable();
        var path = Path.Combine(_directory, ProbeFileName);
        try
        {
            using var probe = PrivateFiles.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
            var zeros = ArrayPool<byte>.Shared.Rent(ProbeBytes);
            try
            {
                Array.Clear(zeros);
                RandomAccess.Write(probe, zeros.AsSpan(0, ProbeBytes), 0);
                RandomAccess.FlushToDisk(probe);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(zeros);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Records up to <paramref name="position"/> are stored: persist that, delete segments wholly before it.</summary>
    public void Commit(SpoolPosition position)
    {
        lock (_commitLock)
        {
            if (position <= _checkpoint) { return; }

            IOException? saveFailed = null;
            try
            {
                SpoolCheckpoint.Save(_directory, position);
                _checkpoint = position;
            }
            catch (IOException ex)
            {
                // A full disk cannot take even the checkpoint. The segments before the position are stored all the
                // same, and deleting them is what gives the disk room again: a restart on the old checkpoint skips
                // the missing files and replays the rest, which dedup absorbs.
                saveFailed = ex;
            }

            foreach (var segment in SegmentFiles.List(_directory))
            {
                if (segment >= position.Segment) { break; }

                var path = SegmentFiles.PathOf(_directory, segment);
                var length = new FileInfo(path).Length;
                File.Delete(path);
                Interlocked.Add(ref _bytesOnDisk, -length);
            }

            if (saveFailed is not null) { throw saveFailed; }
        }
    }

    /// <summary>Closes the files. Records appended and not flushed were never acknowledged: they are dropped, not written.</summary>
    public void Dispose()
    {
        _current.Dispose();
        _lock.Dispose();
        var pending = Interlocked.Exchange(ref _pending, []);
        if (pending.Length > 0) { ArrayPool<byte>.Shared.Return(pending); }
    }

    /// <summary>Logical length of the current segment: written bytes plus those waiting in the buffer.</summary>
    private long Length => _writtenLength + _pendingLength;

    /// <summary>Writes the buffer to the file (no fsync); on failure cuts back to the durable end and rethrows.</summary>
    private void WriteOut()
    {
        try
        {
            TruncateToDurable();
            if (_pendingLength == 0) { return; }

            RandomAccess.Write(_current, _pending.AsSpan(0, _pendingLength), _writtenLength);
            _writtenLength += _pendingLength;
            _pendingLength = 0;
        }
        catch (IOException)
        {
            Rollback();
            throw;
        }
    }

    /// <summary>Forgets everything after the durable end: the buffer, and what was written of it (cut from the file).</summary>
    private void Rollback()
    {
        Interlocked.Add(ref _bytesOnDisk, -(_writtenLength - _durableLength + _pendingLength));
        _pendingLength = 0;
        _writtenLength = _durableLength;
        _mustTruncate = true;
        try
        {
            TruncateToDurable();
        }
        catch (IOException ex)
        {
            // Shrinking a file needs no space, so this is rare; the next write or probe tries again first.
            _logger.LogError(ex, "Could not cut spool segment {Segment} back to {Length} bytes", _currentSegment, _durableLength);
        }
    }

    private void TruncateToDurable()
    {
        if (!_mustTruncate) { return; }

        RandomAccess.SetLength(_current, _durableLength);
        _mustTruncate = false;
    }

    private void Grow(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = bigger;
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
            return PrivateFiles.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new SpoolInUseException($"the spool directory {directory} is in use by another collector process (lock file {path})", ex);
        }
    }

    private void Roll()
    {
        Flush();
        // Opened before the old one is closed: when the disk cannot create it, the spool stays whole on the old segment.
        var next = OpenAppend(SegmentFiles.PathOf(_directory, _currentSegment + 1));
        _current.Dispose();
        _current = next;
        _currentSegment++;
        _durableLength = _writtenLength = RandomAccess.GetLength(next);
        _segmentStartedAt = 0;
        DirectorySync.Flush(_directory);
        // Everything before the new segment is on disk (flushed above): the sink may pass the old one, and Commit delete it.
        var end = new SpoolPosition(_currentSegment, _durableLength);
        lock (_endLock) { _durableEnd = end; }
    }

    private static SafeFileHandle OpenAppend(string path) =>
        PrivateFiles.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);
}
