using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// A RowBinary body being built: values written little-endian into one byte array rented from the shared pool (grown by
/// renting a larger one), so an insert allocates no object per row or value. Dispose returns the array.
/// </summary>
internal sealed class RowBinaryBuffer(int capacity) : IDisposable
{
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    /// <summary>The body as a read-only stream over the written bytes (valid until the buffer is disposed).</summary>
    public MemoryStream AsStream() => new(_bytes, 0, Length, writable: false);

    public void UInt8(byte value)
    {
        Ensure(1);
        _bytes[Length++] = value;
    }

    public void UInt32(uint value)
    {
        Ensure(sizeof(uint));
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(Length), value);
        Length += sizeof(uint);
    }

    public void Int64(long value)
    {
        Ensure(sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(Length), value);
        Length += sizeof(long);
    }

    public void UInt64(ulong value)
    {
        Ensure(sizeof(ulong));
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(Length), value);
        Length += sizeof(ulong);
    }

    /// <summary>A String: its UTF-8 length as a LEB128 varint, then the bytes (unpaired surrogates become U+FFFD, as the driver wrote them).</summary>
    public void String(string value)
    {
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most < 0x80)
        {
            // The length fits one varint byte whatever the encoding gives: encode straight after it.
            Ensure(1 + most);
            var written = Encoding.UTF8.GetBytes(value, _bytes.AsSpan(Length + 1));
            _bytes[Length] = (byte)written;
            Length += 1 + written;
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        Ensure(5 + count);
        for (var rest = (uint)count; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                _bytes[Length++] = (byte)rest;
                break;
            }

            _bytes[Length++] = (byte)(rest | 0x80);
        }

        Length += Encoding.UTF8.GetBytes(value, _bytes.AsSpan(Length));
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
        var bytes = _bytes;
        _bytes = [];
        if (bytes.Length > 0) { ArrayPool<byte>.Shared.Return(bytes); }
    }

    private void Ensure(int more)
    {
        if (Length + more <= _bytes.Length) { return; }
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + more, _bytes.Length * 2));
        _bytes.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = larger;
    }
}
