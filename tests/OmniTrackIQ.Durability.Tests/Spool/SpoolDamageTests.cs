using System.Globalization;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// Issue 15: a damaged spool costs only the records in the damaged bytes. Each test acknowledges 200 one-event
/// records over several segments, damages the files as a failing disk would, restarts, and counts what the store
/// received against what was acknowledged: every record outside the damage exactly once, the damage itself in
/// quarantine, in the metrics and as one <c>spool_corrupt</c> row.
/// </summary>
public sealed class SpoolDamageTests : IDisposable
{
    private readonly DamagedSpool _spool = new(records: 200);

    [Fact]
    public async Task A_byte_flipped_in_the_middle_of_the_first_segment_costs_only_its_record()
    {
        var first = _spool.Segments[0];
        var victim = MiddleRecord(first);
        _spool.FlipByte(first, (victim.Start.Offset + victim.End.Offset) / 2);
        var damaged = SegmentBytes(first)[(int)victim.Start.Offset..(int)victim.End.Offset];

        var run = await _spool.RunSinkAsync();

        AssertStoredExactlyOnce(run, lost: [victim]);
        AssertDamageReported(run, victim.Start, damaged);
    }

    [Fact]
    public async Task A_byte_flipped_in_the_middle_of_the_last_segment_costs_only_its_record()
    {
        var last = _spool.Segments[^1];
        var victim = MiddleRecord(last);
        _spool.FlipByte(last, victim.Start.Offset + 5); // the header's length field: resynchronised on the next magic
        var damaged = SegmentBytes(last)[(int)victim.Start.Offset..(int)victim.End.Offset];

        var run = await _spool.RunSinkAsync();

        AssertStoredExactlyOnce(run, lost: [victim]);
        AssertDamageReported(run, victim.Start, damaged);
        Assert.Equal(0, run.TornBytes); // whole records follow it: not a torn write, nothing cut
    }

    [Fact]
    public async Task A_zeroed_page_costs_only_the_records_it_touches()
    {
        var first = _spool.Segments[0];
        var lost = _spool.Touching(first, 4096, 8192);
        _spool.ZeroPage(first, 4096);
        var damaged = SegmentBytes(first)[(int)lost[0].Start.Offset..(int)lost[^1].End.Offset];

        var run = await _spool.RunSinkAsync();

        Assert.InRange(lost.Count, 2, 40);
        AssertStoredExactlyOnce(run, lost);
        AssertDamageReported(run, lost[0].Start, damaged);
    }

    [Fact]
    public async Task An_older_segment_cut_short_loses_only_its_cut_records_and_the_later_segments_are_kept()
    {
        var first = _spool.Segments[0];
        var records = _spool.In(first);
        var victim = records[records.Count * 2 / 3];
        var cutAt = victim.Start.Offset + 10;
        var kept = SegmentBytes(first)[(int)victim.Start.Offset..(int)cutAt];
        _spool.Truncate(first, cutAt);

        var run = await _spool.RunSinkAsync();

        AssertStoredExactlyOnce(run, lost: records.Skip(records.IndexOf(victim)).ToList());
        AssertDamageReported(run, victim.Start, kept);
    }

    [Fact]
    public async Task The_last_segment_cut_short_is_a_torn_tail_cut_at_start_and_kept_in_quarantine()
    {
        var last = _spool.Segments[^1];
        var records = _spool.In(last);
        var victim = records[records.Count / 2];
        var cutAt = victim.Start.Offset + 10;
        var kept = SegmentBytes(last)[(int)victim.Start.Offset..(int)cutAt];
        _spool.Truncate(last, cutAt);

        var run = await _spool.RunSinkAsync();

        // No whole record follows the cut: it looks exactly like a crash before an fsync, whose record was never
        // acknowledged, so it is cut (and kept), not reported as corruption.
        AssertStoredExactlyOnce(run, lost: records.Skip(records.IndexOf(victim)).ToList());
        Assert.Equal(10, run.TornBytes);
        Assert.Equal([$"{last:D12}-{victim.Start.Offset}-torn.bin"], _spool.QuarantineFiles());
        Assert.Equal(kept, _spool.Quarantined(_spool.QuarantineFiles()[0]));
        Assert.Contains(run.Logs, l => l.Contains("ends in a torn record: cutting 10 bytes", StringComparison.Ordinal));
        Assert.Empty(run.Store.BadEvents);
        Assert.Equal(0, run.Metrics.SpoolCorruptRecords);
    }

    [Fact]
    public async Task A_damaged_checkpoint_replays_from_the_oldest_segment_and_dedup_keeps_every_event_once()
    {
        var second = _spool.Segments[1];
        var storedUpTo = _spool.In(second)[5];
        var alreadyStored = _spool.Records.TakeWhile(r => r.Start <= storedUpTo.Start).Select(r => r.Id).ToList();
        using (var spool = SegmentedSpool.Open(_spool.Dir, DamagedSpool.SegmentBytes, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            spool.Commit(storedUpTo.End); // the first segment is stored and deleted
        }

        var checkpoint = Path.Combine(_spool.Dir, "checkpoint");
        var bytes = File.ReadAllBytes(checkpoint);
        bytes[3] ^= 0x01;
        File.WriteAllBytes(checkpoint, bytes);
        var store = new DamagedSpool.MemoryStore();
        store.Preload(alreadyStored);

        var run = await _spool.RunSinkAsync(store);

        Assert.Equal(new SpoolPosition(second, 0), run.CheckpointAtOpen); // the oldest segment left, from its start
        Assert.Contains(run.Logs, l => l.StartsWith("Error: Spool checkpoint", StringComparison.Ordinal) && l.Contains("checksum mismatch", StringComparison.Ordinal)
            && l.Contains("replaying from the oldest segment", StringComparison.Ordinal));
        Assert.Equal(_spool.Records.Select(r => r.Id).Order(StringComparer.Ordinal), store.Stored); // every event, once
        Assert.Equal(_spool.Records.Where(r => r.Start.Segment >= second).Select(r => r.Id), store.Written); // the replayed ones were offered again
        Assert.Empty(store.BadEvents);
        Assert.Empty(_spool.QuarantineFiles());
    }

    public void Dispose() => _spool.Dispose();

    private DamagedSpool.Written MiddleRecord(long segment)
    {
        var records = _spool.In(segment);
        Assert.True(records.Count >= 3, $"segment {segment} holds {records.Count} records");
        return records[records.Count / 2];
    }

    private byte[] SegmentBytes(long segment) => File.ReadAllBytes(_spool.SegmentPath(segment));

    /// <summary>The store got every acknowledged record but <paramref name="lost"/>, each written once.</summary>
    private void AssertStoredExactlyOnce(DamagedSpool.SinkRun run, List<DamagedSpool.Written> lost)
    {
        var lostIds = lost.Select(r => r.Id).ToHashSet();
        var expected = _spool.Records.Select(r => r.Id).Where(id => !lostIds.Contains(id)).ToList();
        Assert.Equal(expected, run.Store.Written); // in spool order, none twice
        Assert.Equal(expected.Count, run.Store.Stored.Count);
    }

    /// <summary>One damaged stretch from <paramref name="start"/>: its exact bytes in quarantine, the metrics, one spool_corrupt row.</summary>
    private void AssertDamageReported(DamagedSpool.SinkRun run, SpoolPosition start, byte[] damaged)
    {
        var name = start.Segment.ToString("D12", CultureInfo.InvariantCulture) + "-" + start.Offset.ToString(CultureInfo.InvariantCulture) + ".bin";
        Assert.Equal([name], _spool.QuarantineFiles());
        Assert.Equal(damaged, _spool.Quarantined(name));

        Assert.Equal(1, run.Metrics.SpoolCorruptRecords);
        Assert.Equal(damaged.Length, run.Metrics.SpoolCorruptBytes);

        var row = Assert.Single(run.Store.BadEvents);
        Assert.Equal(SinkWriter.DamagedSpoolWorkspace, row.Workspace);
        Assert.Equal($"spool_corrupt: {damaged.Length} unreadable bytes at spool position {start}, kept in {Path.Combine(_spool.Dir, "quarantine", name)}", row.Reason);
        var payload = JsonDocument.Parse(row.Payload).RootElement;
        Assert.Equal(start.Segment, payload.GetProperty("segment").GetInt64());
        Assert.Equal(start.Offset, payload.GetProperty("offset").GetInt64());
        Assert.Equal(damaged.Length, payload.GetProperty("bytes").GetInt64());
        Assert.Equal(damaged.Take(256), payload.GetProperty("head").GetBytesFromBase64());
    }
}
