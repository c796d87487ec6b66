using System.Buffers.Binary;
using System.Text.Unicode;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Writes the primitives of <see cref="SpoolBatchCodec"/> into one span sized up front by
/// <see cref="SpoolEventFields.MaxEncodedBytes"/>, so no write checks for room and nothing is copied twice.
/// </summary>
internal ref struct SpoolBinaryWriter(Span<byte> target)
{
    public const int MaxVarIntBytes = 5;
    public const int TimeBytes = 10;
    public const int DecimalBytes = 16;

    private readonly Span<byte> _target = target;
    private int _position;

    public readonly int Written => _position;

    /// <summary>The most bytes <see cref="String"/> writes for a string of <paramref name="chars"/> UTF-16 chars.</summary>
    public static int MaxStringBytes(int chars) => MaxVarIntBytes + (chars * 3);

    public void Byte(byte value) => _target[_position++] = value;

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_target[_position..], value);
        _position += 4;
    }

    public void VarUInt(uint value)
    {
        while (value >= 0x80)
        {
            _target[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _target[_position++] = (byte)value;
    }

    public void Time(DateTimeOffset value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_target[_position..], value.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(_target[(_position + 8)..], (short)value.TotalOffsetMinutes);
        _position += TimeBytes;
    }

    public void Decimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++) { BinaryPrimitives.WriteInt32LittleEndian(_target[(_position + (i * 4))..], bits[i]); }
        _position += DecimalBytes;
    }

    /// <summary>
    /// Length + 1 (0 for null) as a varint, then the UTF-8 bytes, transcoded straight into place. The length's width is
    /// reserved from the longest the UTF-8 could be and the varint padded to it (0x80 continuation bytes, which the
    /// reader accepts), so the bytes need not be counted first or moved after. A lone surrogate (not text; the parsers
    /// do not produce one) becomes U+FFFD, as it would in the stores' UTF-8 columns.
    /// </summary>
    public void String(string? value)
    {
        if (value is null)
        {
            _target[_position++] = 0;
            return;
        }

        var width = VarIntBytes((uint)(value.Length * 3) + 1);
        var bytes = _target[(_position + width)..];
        Utf8.FromUtf16(value, bytes, out _, out var written, replaceInvalidSequences: true);
        var length = (uint)written + 1;
        for (var i = 0; i < width - 1; i++)
        {
            _target[_position++] = (byte)(length | 0x80);
            length >>= 7;
        }

        _target[_position++] = (byte)length;
        _position += written;
    }

    private static int VarIntBytes(uint value) => value < 1u << 7 ? 1 : value < 1u << 14 ? 2 : value < 1u << 21 ? 3 : value < 1u << 28 ? 4 : 5;
}
