using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// Issue 16's upgrade: a spool left by the version that wrote JSON records (Fixtures/json-records-s7.seg, written by
/// that version's code) drains after the upgrade, every field as it was, also when the new version has appended
/// binary records to the same segment and when one of the old records is damaged. A record whose CRCs match but whose
/// payload does not decode is kept as a bad event, and the records after it are stored.
/// </summary>
public sealed class JsonSpoolUpgradeTests : IDisposable
{
    private readonly DamagedSpool _spool = new(records: 0);

    [Fact]
    public async Task A_spool_of_json_records_from_before_the_upgrade_drains_with_every_field_and_the_binary_records_after_them()
    {
        InstallFixture();
        var after = new TrackedEvent { Workspace = "w", MessageId = "b0001", Type = EventType.Track, Event = "after_upgrade", ReceivedAt = DateTimeOffset.UnixEpoch };
        using (var spool = SegmentedSpool.Open(_spool.Dir, DamagedSpool.SegmentBytes, NullLogger.Instance))
        {
            var (start, _) = spool.Append(Encode([after]));
            Assert.Equal(new SpoolPosition(1, 4272), start); // the same segment: one segment holds both kinds
            spool.Flush();
        }

        var run = await _spool.RunSinkAsync();

        List<TrackedEvent> expected = [.. JsonSpoolFixture.Batches().SelectMany(b => b), after];
        Assert.Equal(expected.Select(e => e.MessageId), run.Store.Events.Select(e => e.MessageId));
        for (var i = 0; i < expected.Count; i++) { Assert.Empty(RandomEvents.Differences(expected[i], run.Store.Events[i])); }
        Assert.Empty(run.Store.BadEvents);
        Assert.Equal(0, run.Metrics.SpoolCorruptRecords);
    }

    [Fact]
    public async Task A_damaged_json_record_costs_only_itself()
    {
        InstallFixture();
        _spool.FlipByte(1, (1530 + 2008) / 2); // inside the second record (j0003)

        var run = await _spool.RunSinkAsync();

        Assert.Equal(["j0001", "j0002", "j0004", "j0005", "j0006"], run.Store.Stored);
        var bad = Assert.Single(run.Store.BadEvents);
        Assert.StartsWith("spool_corrupt: 478 unreadable bytes at spool position 1:1530", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(["000000000001-1530.bin"], _spool.QuarantineFiles());
    }

    [Fact]
    public async Task A_record_that_checks_out_but_does_not_decode_is_kept_as_a_bad_event_and_the_next_is_stored()
    {
        byte[] unreadable = [0x78, 0x79, 0x7A]; // a count of 120 events in two bytes
        using (var spool = SegmentedSpool.Open(_spool.Dir, DamagedSpool.SegmentBytes, NullLogger.Instance))
        {
            spool.Append(unreadable);
            spool.Append(Encode([new TrackedEvent { Workspace = "w", MessageId = "next", Type = EventType.Page }]));
            spool.Flush();
        }

        var run = await _spool.RunSinkAsync();

        Assert.Equal(["next"], run.Store.Stored);
        var bad = Assert.Single(run.Store.BadEvents);
        Assert.Equal("spool_record_unreadable: 120 events cannot fit in 2 bytes (Binary record at spool position 1:0)", bad.Reason);
        Assert.Equal(Convert.ToBase64String(unreadable), bad.Payload);
        Assert.Null(bad.Workspace);
    }

    public void Dispose() => _spool.Dispose();

    private void InstallFixture() =>
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Spool", "Fixtures", "json-records-s7.seg"), Path.Combine(_spool.Dir, JsonSpoolFixture.SegmentFile), overwrite: true);

    private static byte[] Encode(List<TrackedEvent> batch)
    {
        var output = new ArrayBufferWriter<byte>();
        SpoolBatchCodec.Encode(batch, output);
        return output.WrittenSpan.ToArray();
    }
}
