using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Reads the primitives of <see cref="SpoolBatchCodec"/> from a span. The first read that does not fit (cut short,
/// an impossible value) records why and where, and every read after it returns a default: the caller checks
/// <see cref="Failed"/> once per event instead of after every field, and nothing throws. Allocates only the strings,
/// and a string only when it differs from the same field of the event before: the events of one batch mostly come from
/// one browser (user agent, geo, device, campaign, workspace), so they share those strings instead of each holding a copy.
/// </summary>
internal ref struct SpoolBinaryReader(ReadOnlySpan<byte> source, int stringsPerEvent)
{
    private const long MaxOffsetMinutes = 14 * 60;
    private readonly ReadOnlySpan<byte> _source = source;
    /// <summary>Per string field: where the previous event's value lies in the payload, and the string made of it.</summary>
    private readonly PreviousString[] _previous = new PreviousString[stringsPerEvent];
    private int _position;
    private int _field;

    public readonly int Position => _position;
    public readonly bool AtEnd => _position == _source.Length;
    public string? Error { get; private set; }
    public readonly bool Failed => Error is not null;

    /// <summary>Records the first failure: <paramref name="field"/> that starts at byte <paramref name="at"/> (by default where reading stands) and why.</summary>
    public void Fail(string field, string reason, int? at = null)
    {
        Error ??= string.Create(CultureInfo.InvariantCulture, $"{field} at byte {at ?? _position}: {reason}");
        _position = _source.Length;
    }

    /// <summary>Starts the next event: string fields are numbered from 0 again, to find the previous event's value.</summary>
    public void BeginEvent() => _field = 0;

    public byte Byte(string field)
    {
        if (!Has(field, 1)) { return 0; }
        return _source[_position++];
    }

    public uint UInt32(string field)
    {
        if (!Has(field, 4)) { return 0; }
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_source[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>LEB128 of at most 5 bytes; padded forms (continuation bytes of zero) are accepted, as the writer makes them.</summary>
    public uint VarUInt(string field)
    {
        ulong value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (!Has(field, 1)) { return 0; }
            var b = _source[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (value > uint.MaxValue) { break; }
                return (uint)value;
            }
        }

        Fail(field, "length does not fit in 32 bits");
        return 0;
    }

    public DateTimeOffset Time(string field)
    {
        if (!Has(field, SpoolBinaryWriter.TimeBytes)) { return default; }
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(_source[_position..]);
        long minutes = BinaryPrimitives.ReadInt16LittleEndian(_source[(_position + 8)..]);
        var utcTicks = ticks - (minutes * TimeSpan.TicksPerMinute);
        if (minutes is < -MaxOffsetMinutes or > MaxOffsetMinutes
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
            || utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            Fail(field, string.Create(CultureInfo.InvariantCulture, $"no time has {ticks} ticks at offset {minutes} min"));
            return default;
        }

        _position += SpoolBinaryWriter.TimeBytes;
        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    public decimal Decimal(string field)
    {
        if (!Has(field, SpoolBinaryWriter.DecimalBytes)) { return 0; }
        var lo = BinaryPrimitives.ReadInt32LittleEndian(_source[_position..]);
        var mid = BinaryPrimitives.ReadInt32LittleEndian(_source[(_position + 4)..]);
        var hi = BinaryPrimitives.ReadInt32LittleEndian(_source[(_position + 8)..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(_source[(_position + 12)..]);
        var scale = (byte)(flags >> 16);
        // decimal.GetBits: bits 16-23 the scale (0-28), bit 31 the sign, every other bit zero.
        if ((flags & 0x7F00FFFFu) != 0 || scale > 28)
        {
            Fail(field, string.Create(CultureInfo.InvariantCulture, $"0x{flags:X8} is not a decimal's flags"));
            return 0;
        }

        _position += SpoolBinaryWriter.DecimalBytes;
        return new decimal(lo, mid, hi, (flags & 0x80000000u) != 0, scale);
    }

    public string? String(string field)
    {
        var slot = _field++;
        var lengthPlusOne = VarUInt(field);
        if (lengthPlusOne == 0 || Failed) { return null; }

        var length = (int)(lengthPlusOne - 1);
        if (!Has(field, (uint)length)) { return null; }
        var bytes = _source.Slice(_position, length);
        ref var previous = ref _previous[slot];
        if (previous.Value is null || !bytes.SequenceEqual(_source.Slice(previous.Offset, previous.Length)))
        {
            previous = new PreviousString(_position, length, length == 0 ? "" : Encoding.UTF8.GetString(bytes));
        }

        _position += length;
        return previous.Value;
    }

    private bool Has(string field, uint bytes)
    {
        if (Failed) { return false; }
        if ((uint)(_source.Length - _position) >= bytes) { return true; }

        Fail(field, string.Create(CultureInfo.InvariantCulture, $"cut short ({bytes} bytes needed, {_source.Length - _position} left)"));
        return false;
    }

    private readonly record struct PreviousString(int Offset, int Length, string? Value);
}
