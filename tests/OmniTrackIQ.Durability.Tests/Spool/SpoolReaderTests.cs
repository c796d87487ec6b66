using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

public sealed class SpoolReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-reader-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Two_damaged_records_in_a_row_are_one_stretch_and_the_reader_resumes_at_the_next_whole_record()
    {
        var records = new List<(SpoolPosition Start, SpoolPosition End)>();
        using (var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance))
        {
            for (var i = 0; i < 10; i++) { records.Add(spool.Append(Encoding.UTF8.GetBytes($"{{\"record\":{i}}}"))); }
            spool.Flush();
        }

        var path = Directory.GetFiles(_dir, "*.seg").Single();
        var bytes = File.ReadAllBytes(path);
        bytes[records[3].End.Offset - 2] ^= 0x20; // payload of record 3
        bytes[records[4].Start.Offset + 13] ^= 0x01; // header CRC of record 4
        File.WriteAllBytes(path, bytes);

        var read = SpoolReader.Read(_dir, new SpoolPosition(1, 0), records[^1].End).ToList();

        Assert.Equal(
            ["0", "1", "2", "damaged", "5", "6", "7", "8", "9"],
            read.Select(r => r.Damaged ? "damaged" : Encoding.UTF8.GetString(r.Payload)[10..^1]));
        var stretch = Assert.Single(read, r => r.Damaged);
        Assert.Equal(records[3].Start, stretch.Start);
        Assert.Equal(records[5].Start, stretch.End);
        Assert.Empty(stretch.Payload);
        Assert.Equal(records[^1].End.Offset, SpoolReader.ValidLength(path)); // not a torn tail: nothing to cut
    }

    [Fact]
    public void A_segment_of_the_previous_format_is_read_after_an_upgrade_and_new_records_go_to_a_new_segment()
    {
        Directory.CreateDirectory(_dir);
        var legacy = Path.Combine(_dir, "000000000001.seg");
        File.WriteAllBytes(legacy, [.. LegacyRecord("a"), .. LegacyRecord("bb"), .. LegacyRecord("ccc")]);

        using (var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance))
        {
            Assert.Equal(new SpoolPosition(2, 0), spool.DurableEnd);
            spool.Append("dddd"u8);
            spool.Flush();
        }

        using var reopened = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        var read = SpoolReader.Read(_dir, reopened.Checkpoint, reopened.DurableEnd).ToList();
        Assert.Equal(["a", "bb", "ccc", "dddd"], read.Select(r => Encoding.UTF8.GetString(r.Payload)));
        Assert.Equal([1L, 1, 1, 2], read.Select(r => r.Start.Segment));
        Assert.True(SpoolReader.IsLegacy(legacy));
        Assert.False(SpoolReader.IsLegacy(Path.Combine(_dir, "000000000002.seg")));
    }

    [Fact]
    public void A_damaged_record_in_a_previous_format_segment_makes_the_rest_of_that_segment_one_damaged_stretch()
    {
        Directory.CreateDirectory(_dir);
        var first = LegacyRecord("first");
        var second = LegacyRecord("second");
        second[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(_dir, "000000000001.seg"), [.. first, .. second, .. LegacyRecord("third")]);

        var read = SpoolReader.Read(_dir, new SpoolPosition(1, 0), new SpoolPosition(2, 0)).ToList();

        // The old framing has no magic to resynchronise on: what follows the bad record cannot be told from noise.
        Assert.Equal(2, read.Count);
        Assert.Equal("first", Encoding.UTF8.GetString(read[0].Payload));
        Assert.True(read[1].Damaged);
        Assert.Equal(new SpoolPosition(1, first.Length), read[1].Start);
        Assert.Equal(new SpoolPosition(1, first.Length + second.Length + LegacyRecord("third").Length), read[1].End);
    }

    [Fact]
    public void A_record_header_carries_a_magic_and_its_own_checksum()
    {
        var header = new byte[SpoolRecordFormat.HeaderSize];
        SpoolRecordFormat.WriteHeader(header, "payload"u8);

        Assert.Equal([0xF5, (byte)'O', (byte)'T', (byte)'B'], header[..4]);
        Assert.True(SpoolRecordFormat.TryReadHeader(header, out var length, out var crc, out var kind));
        Assert.Equal(SpoolRecordKind.Binary, kind);
        Assert.Equal(7, length);
        Assert.Equal(Crc32C.Compute("payload"u8), crc);
        for (var i = 0; i < header.Length; i++)
        {
            var flipped = (byte[])header.Clone();
            flipped[i] ^= 0x04;
            Assert.False(SpoolRecordFormat.TryReadHeader(flipped, out _, out _, out _), $"a flipped bit in header byte {i} went unnoticed");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static byte[] LegacyRecord(string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var record = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C.Compute(body));
        body.CopyTo(record, 8);
        return record;
    }
}
