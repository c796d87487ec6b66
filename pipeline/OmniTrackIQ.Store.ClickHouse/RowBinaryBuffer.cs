using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// A RowBinary body being built: values written little-endian into fixed-size chunks rented from the shared pool, so an
/// insert allocates no object per row or value, and a body of any size reuses the same pooled chunks. A value never
/// spans two chunks (one longer than a chunk gets a chunk of its own). One array grown by doubling rented 8 and 16 MB
/// arrays for a 10k-event batch, each size kept by the pool and the large-object heap apart: tens of MB of the
/// collector's peak RSS (bench/RESULTS.md "Session 9: collector memory"). Dispose returns the chunks.
/// </summary>
internal sealed class RowBinaryBuffer(int chunkBytes = RowBinaryBuffer.DefaultChunkBytes) : IDisposable
{
    /// <summary>1 MB: a 10k-event batch is about ten chunks, and the shared pool keeps that many of one size.</summary>
    internal const int DefaultChunkBytes = 1 << 20;

    private readonly List<ArraySegment<byte>> _filled = [];
    private long _filledBytes;
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(chunkBytes);
    private int _used;

    public long Length => _filledBytes + _used;

    /// <summary>The body as a read-only, seekable stream over the written bytes (valid until the buffer is disposed).</summary>
    public Stream AsStream() => new RowBinaryStream([.. _filled, new ArraySegment<byte>(_bytes, 0, _used)]);

    public void UInt8(byte value)
    {
        Ensure(1);
        _bytes[_used++] = value;
    }

    public void UInt32(uint value)
    {
        Ensure(sizeof(uint));
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(_used), value);
        _used += sizeof(uint);
    }

    public void Int64(long value)
    {
        Ensure(sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(_used), value);
        _used += sizeof(long);
    }

    public void UInt64(ulong value)
    {
        Ensure(sizeof(ulong));
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(_used), value);
        _used += sizeof(ulong);
    }

    /// <summary>A String: its UTF-8 length as a LEB128 varint, then the bytes (unpaired surrogates become U+FFFD, as the driver wrote them).</summary>
    public void String(string value)
    {
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most < 0x80)
        {
            // The length fits one varint byte whatever the encoding gives: encode straight after it.
            Ensure(1 + most);
            var written = Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_used + 1));
            _bytes[_used] = (byte)written;
            _used += 1 + written;
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        Ensure(5 + count);
        for (var rest = (uint)count; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                _bytes[_used++] = (byte)rest;
                break;
            }

            _bytes[_used++] = (byte)(rest | 0x80);
        }

        _used += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(_used));
    }

    /// <summary>
    /// The marker byte every Nullable(T) value starts with: 1 for NULL (nothing follows), else 0 and then the value.
    /// True when the value follows.
    /// </summary>
    public bool HasValue(bool isNull)
    {
        UInt8(isNull ? (byte)1 : (byte)0);
        return !isNull;
    }

    public void NullableString(string? value)
    {
        if (HasValue(value is null)) { String(value!); }
    }

    public void NullableInt64(long? value)
    {
        if (HasValue(value is null)) { Int64(value!.Value); }
    }

    public void NullableUInt32(uint? value)
    {
        if (HasValue(value is null)) { UInt32(value!.Value); }
    }

    public void Dispose()
    {
        foreach (var chunk in _filled) { ArrayPool<byte>.Shared.Return(chunk.Array!); }
        _filled.Clear();
        var bytes = _bytes;
        _bytes = [];
        if (bytes.Length > 0) { ArrayPool<byte>.Shared.Return(bytes); }
    }

    /// <summary>Room for <paramref name="more"/> bytes in the current chunk: else the next chunk, at least that long.</summary>
    private void Ensure(int more)
    {
        if (_used + more <= _bytes.Length) { return; }
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(more, chunkBytes));
        if (_used > 0)
        {
            _filled.Add(new ArraySegment<byte>(_bytes, 0, _used));
            _filledBytes += _used;
        }
        else { ArrayPool<byte>.Shared.Return(_bytes); } // empty: a value longer than a chunk comes first
        _bytes = next;
        _used = 0;
    }
}
