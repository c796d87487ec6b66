using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Tests.Spool;

/// <summary>
/// A spool of acknowledged one-event records (binary, as the spool writer encodes them) over several segments, the tools to damage it as a failing disk would,
/// and a sink run over it that reports what the store received: the ground truth the damage tests count against.
/// </summary>
internal sealed class DamagedSpool : IDisposable
{
    public const long SegmentBytes = 16 * 1024;

    public DamagedSpool(int records)
    {
        using var spool = SegmentedSpool.Open(Dir, SegmentBytes, NullLogger.Instance);
        for (var i = 0; i < records; i++)
        {
            var id = $"e{i:D4}";
            var payload = new ArrayBufferWriter<byte>();
            SpoolBatchCodec.Encode([new TrackedEvent { Workspace = "w", MessageId = id, Type = EventType.Page, PageUrl = "https://shop.example/p/" + id }], payload);
            var (start, end) = spool.Append(payload.WrittenSpan);
            Records.Add(new Written(id, start, end));
        }

        spool.Flush(); // every record is acknowledged from here on
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "otq-damage-" + Guid.NewGuid().ToString("N"));

    /// <summary>Every acknowledged record, in spool order, with where it lies.</summary>
    public List<Written> Records { get; } = [];

    public List<long> Segments => Records.Select(r => r.Start.Segment).Distinct().ToList();

    public string SegmentPath(long segment) => Directory.GetFiles(Dir, "*.seg").Single(f => Path.GetFileNameWithoutExtension(f) == segment.ToString("D12", System.Globalization.CultureInfo.InvariantCulture));

    public List<Written> In(long segment) => Records.Where(r => r.Start.Segment == segment).ToList();

    /// <summary>Flips every bit of one byte; returns the bytes of the segment as they were before.</summary>
    public byte[] FlipByte(long segment, long offset)
    {
        var path = SegmentPath(segment);
        var before = File.ReadAllBytes(path);
        var after = (byte[])before.Clone();
        after[offset] ^= 0xFF;
        File.WriteAllBytes(path, after);
        return before;
    }

    public void Truncate(long segment, long length)
    {
        using var stream = new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }

    public void ZeroPage(long segment, long offset, int bytes = 4096)
    {
        using var stream = new FileStream(SegmentPath(segment), FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(new byte[bytes]);
    }

    /// <summary>The records a damaged byte range touches: the ones that cannot come back.</summary>
    public List<Written> Touching(long segment, long from, long to) =>
        Records.Where(r => r.Start.Segment == segment && r.Start.Offset < to && r.End.Offset > from).ToList();

    /// <summary>Opens the spool as a restart would and runs a sink over it until everything durable is checkpointed.</summary>
    public async Task<SinkRun> RunSinkAsync(MemoryStore? store = null)
    {
        store ??= new MemoryStore();
        var logs = new ListLogger();
        var metrics = new CollectorMetrics();
        using var spool = SegmentedSpool.Open(Dir, SegmentBytes, logs);
        var checkpointAtOpen = spool.Checkpoint;
        var sink = new SinkWriter(spool, new SinkQueue(8), store, StoreReadiness.Ready(), new BadEventQueue(TimeProvider.System, metrics), new SinkOptions { BatchSize = 25, MaxBatchAge = TimeSpan.FromMilliseconds(5) },
            metrics, TimeProvider.System, NullLogger<SinkWriter>.Instance);
        await sink.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => spool.Checkpoint >= spool.DurableEnd && store.BadEvents.Count >= metrics.SpoolCorruptRecords, TimeSpan.FromSeconds(15));
        await sink.StopAsync(CancellationToken.None);

        Assert.Equal(spool.DurableEnd, spool.Checkpoint); // drained: nothing waits behind the damage
        return new SinkRun(store, metrics, logs.Messages, checkpointAtOpen, spool.TornBytesCut);
    }

    public string[] QuarantineFiles() =>
        Directory.Exists(Path.Combine(Dir, SpoolQuarantine.DirectoryName))
            ? [.. Directory.GetFiles(Path.Combine(Dir, SpoolQuarantine.DirectoryName)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];

    public byte[] Quarantined(string name) => File.ReadAllBytes(Path.Combine(Dir, SpoolQuarantine.DirectoryName, name));

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    public sealed record Written(string Id, SpoolPosition Start, SpoolPosition End);

    public sealed record SinkRun(MemoryStore Store, CollectorMetrics Metrics, IReadOnlyList<string> Logs, SpoolPosition CheckpointAtOpen, long TornBytes);

    /// <summary>A store with the real stores' contract: an event id already stored is skipped. Counts every write it got.</summary>
    internal sealed class MemoryStore : IEventStore
    {
        private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

        /// <summary>Each event id the sink wrote, as often as it wrote it.</summary>
        public List<string> Written { get; } = [];
        public List<string> Stored { get { lock (_stored) { return [.. _stored.Order(StringComparer.Ordinal)]; } } }
        public List<BadEvent> BadEvents { get; } = [];
        /// <summary>Every event stored, as the sink handed it over (the first write of each id).</summary>
        public List<TrackedEvent> Events { get; } = [];

        public void Preload(IEnumerable<string> ids) { lock (_stored) { _stored.UnionWith(ids); } }

        public Task<int> WriteEventsAsync(IReadOnlyList<TrackedEvent> events, CancellationToken cancellationToken)
        {
            lock (_stored)
            {
                var inserted = 0;
                foreach (var e in events)
                {
                    Written.Add(e.MessageId);
                    if (_stored.Add(e.MessageId))
                    {
                        inserted++;
                        Events.Add(e);
                    }
                }

                return Task.FromResult(inserted);
            }
        }

        public Task WriteBadEventsAsync(IReadOnlyList<BadEvent> badEvents, CancellationToken cancellationToken)
        {
            lock (_stored) { BadEvents.AddRange(badEvents); }
            return Task.CompletedTask;
        }

        public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);
        public Task<EventStats> GetStatsAsync(string workspace, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>Keeps what the spool logs, to see that a damaged checkpoint or a torn tail is said out loud.</summary>
    internal sealed class ListLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public List<string> Messages { get { lock (_messages) { return [.. _messages]; } } }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages) { _messages.Add(logLevel + ": " + formatter(state, exception)); }
        }
    }
}
