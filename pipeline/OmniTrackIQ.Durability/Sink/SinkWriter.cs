using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// Moves durable batches into the event store: buffers events until the batch size or age is
/// reached, writes them, then advances the spool checkpoint. Records are processed strictly in
/// spool order; whatever the channel did not carry (overflow, or everything after the checkpoint
/// at start-up) is read back from the spool files. A failed write is retried with exponential
/// back-off and jitter and the checkpoint does not move, so nothing is lost while the store is down; rows the
/// store refuses for what they hold go to <c>bad_events</c> one by one (SinkWriter.Rejections.cs). Damaged
/// stretches of the spool are skipped and reported, and failed reads retried (SinkWriter.SpoolDamage.cs).
/// The sink is a two-stage pipeline (SinkWriter.Flush.cs): batch n+1 is read and decoded while batch n is written,
/// and checkpoints still advance strictly in order, each only after its batch is stored.
/// </summary>
public sealed partial class SinkWriter : BackgroundService
{
    private readonly SegmentedSpool _spool;
    private readonly SinkQueue _queue;
    private readonly IEventStore _store;
    private readonly StoreReadiness _storeReady;
    private readonly BadEventQueue _badEvents;
    private readonly SinkOptions _options;
    private readonly CollectorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SinkWriter> _logger;
    private List<TrackedEvent> _buffer = [];
    private SpoolPosition _cursor;
    private long _bufferStartedAt;

    /// <param name="storeReady">The store's start-up step (its migrations): the sink writes nothing before it has finished.</param>
    public SinkWriter(SegmentedSpool spool, SinkQueue queue, IEventStore store, StoreReadiness storeReady, BadEventQueue badEvents, SinkOptions options,
        CollectorMetrics metrics, TimeProvider time, ILogger<SinkWriter> logger)
    {
        _spool = spool;
        _queue = queue;
        _store = store;
        _storeReady = storeReady;
        _badEvents = badEvents;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads spool records; replaceable so tests can make the disk fail.</summary>
    internal Func<string, SpoolPosition, SpoolPosition, IEnumerable<SpoolRecord>> ReadSpool { get; init; } = SpoolReader.Read;

    /// <summary>Everything before this position has been stored.</summary>
    public SpoolPosition StoredUpTo => _spool.Checkpoint;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The collector starts and accepts into the spool without its store (a ClickHouse restart, a deploy order); the
        // host's start-up step migrates it once it answers, and the sink drains from then on.
        try
        {
            await _storeReady.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // stopped before the store was ever ready: everything stays in the spool for the next start
        }

        _cursor = _spool.Checkpoint;
        if (_cursor < _spool.DurableEnd) { LogReplaying(_cursor, _spool.DurableEnd); }
        _ = CatchUpFromDisk(_spool.DurableEnd); // a failed read is tried again by FillBufferAsync
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await FillBufferAsync(stoppingToken); // while the previous batch is being written
                if (!await CompleteWriteAsync()) { break; }
                StartWrite(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Drain on stop: the batch in flight, then what is buffered or already in the channel, written once more
        // without cancellation. A batch not stored stops the drain: nothing after it may be checkpointed.
        if (!await DrainWriteAsync()) { return; }
        while (_queue.TryRead(out var batch)) { Accept(batch); }
        _ = CatchUpFromDisk(_spool.DurableEnd); // on a failed read the rest stays in the spool for the next start
        await FlushAsync(_buffer, _cursor, CancellationToken.None, giveUpAfterFirstFailure: true);
    }

    private async Task FillBufferAsync(CancellationToken cancellationToken)
    {
        while (_buffer.Count < _options.BatchSize)
        {
            if (_queue.TryRead(out var batch))
            {
                Accept(batch);
                continue;
            }

            // The channel is empty: anything durable it did not carry is on disk only.
            if (_cursor < _spool.DurableEnd)
            {
                if (CatchUpFromDisk(_spool.DurableEnd)) { continue; }
                if (_buffer.Count > 0) { return; } // store what was read; the read is tried again after

                await Task.Delay(ReadBackoff.Next(), _time, cancellationToken);
                continue;
            }

            var remaining = _buffer.Count == 0
                ? Timeout.InfiniteTimeSpan
                : _options.MaxBatchAge - _time.GetElapsedTime(_bufferStartedAt);
            if (_buffer.Count > 0 && remaining <= TimeSpan.Zero) { return; }

            // On the injected clock (a linked source's CancelAfter would run on the wall clock), so the batch age is
            // the same time the buffer's start was read on. An empty buffer re-checks the spool for overflowed batches now and then.
            using var timeout = new CancellationTokenSource(remaining != Timeout.InfiniteTimeSpan ? remaining : _options.MaxBatchAge, _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _queue.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Rejections with no accepted event behind them (a signed webhook that did not map, a refused pixel)
                // are written on the idle tick, not left waiting for the next event; so is a cursor that passed a
                // closed segment with nothing to store, whose commit lets the segment be deleted.
                if (_buffer.Count > 0 || _badEvents.HasPending || _cursor > _spool.Checkpoint) { return; }
            }
        }
    }

    private void Accept(SpooledBatch batch)
    {
        if (batch.End <= _cursor) { return; } // already read back from disk
        if (batch.Start > _cursor)
        {
            _ = CatchUpFromDisk(batch.Start); // a failed read is tried again by FillBufferAsync
            // The buffer filled before the gap closed, or just as it closed: this batch stays durable on disk and is
            // read back in order by a later fill, like the overflow before it (so a store batch never outgrows
            // BatchSize by more than one offered batch: one group commit's run of records, bounded by its bytes).
            if (batch.Start > _cursor || _buffer.Count >= _options.BatchSize) { return; }
        }

        if (batch.Start != _cursor)
        {
            // Cannot happen while one loop appends in order; never skip data silently if it does.
            _logger.LogError("Spool batch at {Start} does not follow the cursor {Cursor}; re-reading from disk", batch.Start, _cursor);
            _ = CatchUpFromDisk(batch.End); // a failed read is tried again by FillBufferAsync
            return;
        }

        Add(batch.Events, batch.End);
    }

    /// <summary>
    /// Reads spool records from the cursor towards <paramref name="to"/> into the buffer, but no further
    /// than one batch: a backlog (channel overflow, or a long replay after a crash) is written to the store
    /// in batches of <see cref="SinkOptions.BatchSize"/>, never as one insert that could outgrow the
    /// store's memory and then fail on every retry. False when the disk failed the read: the cursor stays after the
    /// last record read, and the caller tries again after a back-off (the host stays up).
    /// </summary>
    private bool CatchUpFromDisk(SpoolPosition to)
    {
        var records = 0;
        var complete = true;
        try
        {
            foreach (var record in ReadSpool(_spool.DirectoryPath, _cursor, to))
            {
                if (record.Start < _cursor) { continue; }
                if (_buffer.Count >= _options.BatchSize)
                {
                    complete = false;
                    break;
                }

                if (record.Damaged)
                {
                    KeepDamaged(record);
                    Add([], record.End);
                    continue;
                }

                AddDecoded(record);
                records++;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogReadFailed(ex, _cursor);
            if (records > 0) { _metrics.RecordsReplayed(records); }
            return false;
        }

        // Every record before `to` has been read; what remains is the empty end of an older segment
        // (the writer rolled to a new one), so the cursor moves to `to`, always a record boundary.
        if (complete && _cursor < to) { _cursor = to; }

        if (records > 0) { _metrics.RecordsReplayed(records); }
        _readBackoff?.Reset();
        return true;
    }

    /// <summary>
    /// Decodes a record's events straight into the buffer (binary, or JSON from before the upgrade). A record whose CRCs
    /// match but whose payload does not decode was written by an incompatible version: its bytes are kept as a bad event
    /// with the reason, and the records after it are stored.
    /// </summary>
    private void AddDecoded(SpoolRecord record)
    {
        if (_buffer.Count == 0) { _bufferStartedAt = _time.GetTimestamp(); }
        if (!SpoolBatchCodec.TryDecode(record.Kind, record.Payload, _buffer, out var error))
        {
            var payload = record.Kind == SpoolRecordKind.Json ? System.Text.Encoding.UTF8.GetString(record.Payload) : Convert.ToBase64String(record.Payload);
            _badEvents.TryAdd(new BadEvent(null, payload, $"spool_record_unreadable: {error} ({record.Kind} record at spool position {record.Start})", _time.GetUtcNow()));
        }

        _cursor = record.End;
    }

    private void Add(List<TrackedEvent> events, SpoolPosition end)
    {
        if (_buffer.Count == 0) { _bufferStartedAt = _time.GetTimestamp(); }
        _buffer.AddRange(events);
        _cursor = end;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying the spool after restart from {Checkpoint} to {End}, one batch at a time")]
    private partial void LogReplaying(SpoolPosition checkpoint, SpoolPosition end);
}
