using System.Buffers.Binary;
using System.Text;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Storage;

namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// The compact binary form of a <see cref="PersonJourney"/> kept in <c>attribution_journeys</c> (<see cref="JourneysTable"/>):
/// what the models read of it and nothing else — each touch's time (varint delta), flags, channel, source, medium and
/// campaign; each conversion's time and revenue; the lead time. Order ids and currencies are left out (no model reads
/// them). A string is written once per journey and referred back to by number after that, and decoded strings are
/// shared across journeys (<see cref="Decoder"/>), so a million journeys decode without a string each per touch.
/// </summary>
internal static class JourneyCodec
{
    private const byte Version = 1;

    // String tags: 0 null, 1 a new string (length + UTF-8) follows, n ≥ 2 the (n - 2)th string of this journey.
    private const int NullTag = 0;
    private const int NewTag = 1;

    /// <summary>
    /// Encodes journeys one after another into one reused buffer and string table, so a full run's million journeys cost one
    /// array each (the appender's value) instead of a growing list, its copy and a dictionary each. Not thread-safe.
    /// </summary>
    public sealed class Encoder
    {
        private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
        private byte[] _buffer = new byte[256];
        private int _length;

        public byte[] Encode(PersonJourney journey)
        {
            _written.Clear();
            _length = 0;
            Add(Version);
            WriteVarint((ulong)journey.Touches.Count);
            var previous = 0L;
            foreach (var touch in journey.Touches)
            {
                WriteVarint(ZigZag(touch.TimestampMs - previous));
                previous = touch.TimestampMs;
                Add((byte)touch.Flags);
                WriteString(touch.Channel);
                WriteString(touch.Source);
                WriteString(touch.Medium);
                WriteString(touch.Campaign);
            }

            WriteVarint((ulong)journey.Conversions.Count);
            previous = 0;
            foreach (var conversion in journey.Conversions)
            {
                WriteVarint(ZigZag(conversion.TimestampMs - previous));
                previous = conversion.TimestampMs;
                BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), conversion.Revenue);
            }

            Add(journey.LeadTimestampMs.HasValue ? (byte)1 : (byte)0);
            if (journey.LeadTimestampMs is { } lead) { WriteVarint(ZigZag(lead)); }
            return _buffer.AsSpan(0, _length).ToArray();
        }

        private void WriteString(string? value)
        {
            if (value is null) { WriteVarint(NullTag); return; }
            if (_written.TryGetValue(value, out var index)) { WriteVarint((ulong)index + 2); return; }
            _written[value] = _written.Count;
            WriteVarint(NewTag);
            var length = Encoding.UTF8.GetByteCount(value);
            WriteVarint((ulong)length);
            Encoding.UTF8.GetBytes(value, Reserve(length));
        }

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                Add((byte)(value | 0x80));
                value >>= 7;
            }

            Add((byte)value);
        }

        private void Add(byte value) => Reserve(1)[0] = value;

        /// <summary>The next <paramref name="count"/> bytes of the buffer, grown when they do not fit.</summary>
        private Span<byte> Reserve(int count)
        {
            if (_length + count > _buffer.Length) { Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count)); }
            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>
    /// Decodes journeys one after another into buffers it keeps (<see cref="DecodeInto"/>; <see cref="ToJourney"/> copies one
    /// out), sharing each distinct string (bounded, like <see cref="StringPool"/>). Not thread-safe.
    /// </summary>
    public sealed class Decoder
    {
        private const int MaxPooled = 100_000;
        private readonly Dictionary<byte[], string> _pool = new(SpanSequenceComparer<byte>.Instance);
        private readonly List<string> _journeyStrings = [];

        // The last DecodeInto's journey, in buffers kept from journey to journey.
        private Touchpoint[] _touches = new Touchpoint[16];
        private JourneyConversion[] _conversions = new JourneyConversion[4];
        private int _touchCount;
        private int _conversionCount;

        /// <summary>The touches of the last <see cref="DecodeInto"/> (valid until the next call).</summary>
        public ReadOnlySpan<Touchpoint> Touches => _touches.AsSpan(0, _touchCount);

        /// <summary>The conversions of the last <see cref="DecodeInto"/> (valid until the next call).</summary>
        public ReadOnlySpan<JourneyConversion> Conversions => _conversions.AsSpan(0, _conversionCount);

        /// <summary>The lead time of the last <see cref="DecodeInto"/>.</summary>
        public long? LeadTimestampMs { get; private set; }

        /// <summary>The last <see cref="DecodeInto"/>'s journey as an object of its own (arrays copied out of the buffers).</summary>
        public PersonJourney ToJourney() => new("", Touches.ToArray(), Conversions.ToArray(), LeadTimestampMs);

        /// <summary>
        /// Decodes a journey into this decoder's buffers (<see cref="Touches"/>, <see cref="Conversions"/>,
        /// <see cref="LeadTimestampMs"/>): a reader that is done with a journey before the next (an on-the-fly answer) allocates
        /// nothing per journey.
        /// </summary>
        public void DecodeInto(ReadOnlySpan<byte> data)
        {
            if (data.Length == 0 || data[0] != Version) { throw new InvalidDataException($"Unknown journey encoding {(data.Length == 0 ? "(empty)" : data[0])}."); }
            var position = 1;
            _journeyStrings.Clear();
            _touchCount = checked((int)ReadVarint(data, ref position));
            if (_touches.Length < _touchCount) { _touches = new Touchpoint[Math.Max(_touchCount, _touches.Length * 2)]; }
            var time = 0L;
            for (var i = 0; i < _touchCount; i++)
            {
                time += UnZigZag(ReadVarint(data, ref position));
                var flags = (TouchFlags)data[position++];
                var channel = ReadString(data, ref position) ?? throw new InvalidDataException("A touch without a channel.");
                _touches[i] = new Touchpoint(channel, time, flags, ReadString(data, ref position), ReadString(data, ref position), ReadString(data, ref position));
            }

            _conversionCount = checked((int)ReadVarint(data, ref position));
            if (_conversions.Length < _conversionCount) { _conversions = new JourneyConversion[Math.Max(_conversionCount, _conversions.Length * 2)]; }
            time = 0;
            for (var i = 0; i < _conversionCount; i++)
            {
                time += UnZigZag(ReadVarint(data, ref position));
                _conversions[i] = new JourneyConversion("", time, BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(position, 8)));
                position += 8;
            }

            LeadTimestampMs = data[position++] == 1 ? UnZigZag(ReadVarint(data, ref position)) : null;
        }

        private string? ReadString(ReadOnlySpan<byte> data, ref int position)
        {
            var tag = (int)ReadVarint(data, ref position);
            if (tag == NullTag) { return null; }
            if (tag != NewTag) { return _journeyStrings[tag - 2]; }
            var length = (int)ReadVarint(data, ref position);
            var bytes = data.Slice(position, length);
            position += length;
            // Found by its UTF-8 bytes: a string seen before is neither transcoded nor hashed as characters again.
            if (!_pool.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(bytes, out var value))
            {
                value = Encoding.UTF8.GetString(bytes);
                if (_pool.Count < MaxPooled) { _pool[bytes.ToArray()] = value; }
            }

            _journeyStrings.Add(value);
            return value;
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
        {
            ulong value = 0;
            var shift = 0;
            byte b;
            do
            {
                b = data[position++];
                value |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);

            return value;
        }
    }
}
