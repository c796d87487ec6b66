using System.Buffers;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over pooled arrays, returned on Dispose: serialising a batch rents, never allocates.
/// Its own pool, not <see cref="ArrayPool{T}.Shared"/>: request threads rent and the group-commit loop returns a whole group
/// at once, and the shared pool keeps only a few dozen arrays of a size outside the renting thread, so under pixel load
/// (groups of hundreds of hits) nearly every rent allocated a new 4 KB array (issue 16, bench/RESULTS.md "Session 8").
/// This pool keeps up to <see cref="ArraysPerSize"/> arrays of each size up to <see cref="MaxPooledLength"/> (a pixel hit's
/// record and small batches), allocated only as the peak in flight needs them: half the spool's default PendingCapacity,
/// since hits do not wait for the disk and fill the queue when the loop lags; at most 16 MB of 4 KB arrays kept after
/// such a peak. Larger arrays come from the shared pool as before.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    internal const int MaxPooledLength = 16 * 1024;
    internal const int ArraysPerSize = 4096;
    private static readonly ArrayPool<byte> s_pool = ArrayPool<byte>.Create(MaxPooledLength, ArraysPerSize);

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096) => _buffer = Rent(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) { Return(buffer); }
    }

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written >= Math.Max(sizeHint, 1)) { return; }

        var bigger = Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        Return(_buffer);
        _buffer = bigger;
    }

    private static byte[] Rent(int length) => length <= MaxPooledLength ? s_pool.Rent(length) : ArrayPool<byte>.Shared.Rent(length);

    private static void Return(byte[] array)
    {
        if (array.Length <= MaxPooledLength) { s_pool.Return(array); }
        else { ArrayPool<byte>.Shared.Return(array); }
    }
}
