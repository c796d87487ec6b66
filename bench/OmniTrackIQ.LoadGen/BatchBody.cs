using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OmniTrackIQ.LoadGen;

/// <summary>
/// One connection's reusable request body. The JSON is rendered once; every fixed-width field that must
/// change per request (sequence digits in messageIds, sentAt/timestamp) is patched in place, so building
/// a body costs a few small copies instead of serialisation. Safe because a loop awaits each response
/// before patching the buffer again.
/// </summary>
internal sealed class BatchBody
{
    private const int SeqDigits = 10;
    private const int TimeChars = 24; // yyyy-MM-ddTHH:mm:ss.fffZ
    private readonly List<int> _seqOffsets = [];
    private readonly List<int> _timeOffsets = [];
    private readonly byte[] _buffer;
    private readonly byte[] _time = new byte[TimeChars];

    public BatchBody(string runId, int connection, int batch, string writeKey)
    {
        var w = new ArrayBufferWriter<byte>(batch * 320);
        Put(w, "{\"writeKey\":\"");
        Put(w, JsonEncodedText.Encode(writeKey).ToString());
        Put(w, "\",\"sentAt\":\"");
        Mark(w, _timeOffsets, TimeChars);
        Put(w, "\",\"batch\":[");
        for (var i = 0; i < batch; i++)
        {
            Put(w, i == 0 ? "{\"type\":\"page\",\"messageId\":\"" : ",{\"type\":\"page\",\"messageId\":\"");
            Put(w, FormattableString.Invariant($"{runId}-{connection:D4}-"));
            Mark(w, _seqOffsets, SeqDigits);
            Put(w, FormattableString.Invariant($"-{i:D2}\",\"anonymousId\":\"a{connection:D4}{i:D2}\",\"timestamp\":\""));
            Mark(w, _timeOffsets, TimeChars);
            Put(w, "\",\"context\":{\"page\":{\"url\":\"https://shop.example/p?utm_source=google&utm_medium=cpc\","
                + "\"referrer\":\"https://www.google.com/\"}}}");
        }
        Put(w, "]}");
        _buffer = w.WrittenSpan.ToArray();
        EventCount = batch;
    }

    public int EventCount { get; }

    public byte[] Buffer => _buffer;

    /// <summary>Stamps the request's sequence number and the current time into the body.</summary>
    public void Prepare(long sequence, DateTime utcNow)
    {
        Span<byte> digits = stackalloc byte[SeqDigits];
        var s = sequence;
        for (var i = SeqDigits - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (s % 10));
            s /= 10;
        }
        foreach (var offset in _seqOffsets)
        {
            digits.CopyTo(_buffer.AsSpan(offset));
        }
        // "O" would print 7 fractional digits; Utf8Formatter has no ms format, so compose the fixed layout.
        WriteTime(_time, utcNow);
        foreach (var offset in _timeOffsets)
        {
            _time.CopyTo(_buffer.AsSpan(offset));
        }
    }

    private static void WriteTime(Span<byte> dest, DateTime t)
    {
        Two(dest, 0, t.Year / 100);
        Two(dest, 2, t.Year % 100);
        dest[4] = (byte)'-';
        Two(dest, 5, t.Month);
        dest[7] = (byte)'-';
        Two(dest, 8, t.Day);
        dest[10] = (byte)'T';
        Two(dest, 11, t.Hour);
        dest[13] = (byte)':';
        Two(dest, 14, t.Minute);
        dest[16] = (byte)':';
        Two(dest, 17, t.Second);
        dest[19] = (byte)'.';
        Utf8Formatter.TryFormat(t.Millisecond, dest[20..23], out _, new StandardFormat('D', 3));
        dest[23] = (byte)'Z';
    }

    private static void Two(Span<byte> dest, int at, int value)
    {
        dest[at] = (byte)('0' + (value / 10));
        dest[at + 1] = (byte)('0' + (value % 10));
    }

    private static void Put(ArrayBufferWriter<byte> w, string s) => w.Write(Encoding.UTF8.GetBytes(s));

    private static void Mark(ArrayBufferWriter<byte> w, List<int> offsets, int width)
    {
        offsets.Add(w.WrittenCount);
        w.GetSpan(width)[..width].Fill((byte)'0');
        w.Advance(width);
    }
}
