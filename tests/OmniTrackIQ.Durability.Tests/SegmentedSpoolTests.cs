using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Collector.Tests;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests;

public sealed class SegmentedSpoolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "otq-spool-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void RecordsRollOverSegmentsAndReadBackInOrder()
    {
        using (var spool = SegmentedSpool.Open(_dir, segmentBytes: 64, NullLogger.Instance))
        {
            for (byte i = 1; i <= 10; i++) { spool.Append(new byte[] { i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i }); }
            spool.Flush();
            var records = SpoolReader.Read(_dir, spool.Checkpoint, spool.DurableEnd).ToList();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (byte)i), records.Select(r => r.Payload[0]));
            Assert.True(Directory.GetFiles(_dir, "*.seg").Length >= 4);
            Assert.All(records.Zip(records.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start));
        }
    }

    [Fact]
    public void ATornTailIsCutOnOpenAndNeverReadBack()
    {
        using (var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance))
        {
            spool.Append("first"u8);
            spool.Append("second"u8);
            spool.Flush();
        }

        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        var intact = new FileInfo(segment).Length;
        File.AppendAllText(segment, "\u0040\0\0\0garbage-that-is-too-short");

        using var reopened = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        Assert.Equal(intact, new FileInfo(segment).Length);
        var payloads = SpoolReader.Read(_dir, reopened.Checkpoint, reopened.DurableEnd).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload));
        Assert.Equal(["first", "second"], payloads);
    }

    [Fact]
    public void A_corrupt_last_record_is_a_torn_tail_cut_back_to_the_last_good_record()
    {
        using (var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance))
        {
            spool.Append("good"u8);
            spool.Append("flipped"u8);
            spool.Flush();
        }

        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[^1] ^= 0xFF; // bit rot in the last payload: its CRC no longer matches
        File.WriteAllBytes(segment, bytes);

        using var reopened = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        Assert.Equal(["good"], SpoolReader.Read(_dir, reopened.Checkpoint, reopened.DurableEnd).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)));
    }

    [Fact]
    public void CommitPersistsTheCheckpointAndDeletesStoredSegments()
    {
        SpoolPosition end;
        using (var spool = SegmentedSpool.Open(_dir, segmentBytes: 32, NullLogger.Instance))
        {
            for (var i = 0; i < 6; i++) { spool.Append(new byte[20]); }
            spool.Flush();
            end = spool.DurableEnd;
            var before = spool.BytesOnDisk;
            spool.Commit(end);
            Assert.True(spool.BytesOnDisk < before);
            Assert.Single(Directory.GetFiles(_dir, "*.seg"));
        }

        using var reopened = SegmentedSpool.Open(_dir, 32, NullLogger.Instance);
        Assert.Equal(end, reopened.Checkpoint);
        Assert.Empty(SpoolReader.Read(_dir, reopened.Checkpoint, reopened.DurableEnd));
    }

    [Fact]
    public void A_second_open_of_the_same_directory_is_refused_until_the_first_is_disposed()
    {
        var dir = Path.Combine(Path.GetTempPath(), "otq-spool-lock-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = SegmentedSpool.Open(dir, 4096, NullLogger.Instance);
            var refused = Assert.Throws<SpoolInUseException>(() => SegmentedSpool.Open(dir, 4096, NullLogger.Instance)); // drain-spool refuses on it (exit 3)
            Assert.Contains("in use by another collector process", refused.Message, StringComparison.Ordinal);
            first.Dispose();
            SegmentedSpool.Open(dir, 4096, NullLogger.Instance).Dispose();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void A_write_the_full_disk_refuses_leaves_no_torn_record_and_the_next_append_after_space_returns_works()
    {
        using var tmpfs = TmpfsMount.TryMount(_dir, "1m", out var unavailable);
        if (tmpfs is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + unavailable); }
            Skip.If(true, unavailable);
        }

        var filler = Path.Combine(_dir, "filler");
        using (var spool = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance))
        {
            spool.Append("before"u8);
            spool.Flush();
            var durable = spool.DurableEnd;
            var bytes = spool.BytesOnDisk;
            tmpfs.Fill(filler);

            // Bigger than the slack the segment's page has left: part of it reaches the file before ENOSPC.
            Assert.Throws<IOException>(() =>
            {
                spool.Append(new byte[48 * 1024]);
                spool.Append(new byte[48 * 1024]);
                spool.Flush();
            });
            var segment = Directory.GetFiles(_dir, "*.seg").Single();
            Assert.Equal(durable, spool.DurableEnd);
            Assert.Equal(durable.Offset, new FileInfo(segment).Length); // cut back to the last durable record
            Assert.Equal(bytes, spool.BytesOnDisk);
            Assert.Throws<IOException>(spool.Probe);

            File.Delete(filler);
            spool.Probe();
            spool.Append("after"u8);
            spool.Flush();
        }

        using var reopened = SegmentedSpool.Open(_dir, 1 << 20, NullLogger.Instance);
        Assert.Equal(["before", "after"], SpoolReader.Read(_dir, reopened.Checkpoint, reopened.DurableEnd).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload)));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
