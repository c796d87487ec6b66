using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>
/// The write half of the sink: store a batch, retry transient failures with back-off, then checkpoint. One batch is
/// written at a time, off the loop that fills the next one: reading and decoding batch n+1 overlaps the store's work
/// on batch n (issue 16: read and JSON decode were a third of a ClickHouse batch, done one after the other).
/// </summary>
public sealed partial class SinkWriter
{
    private RetryBackoff? _backoff;
    private Task<bool>? _writing;
    private List<TrackedEvent> _writingBatch = [];
    private SpoolPosition _writingEnd;
    private List<TrackedEvent>? _spare;

    private RetryBackoff Backoff => _backoff ??= new RetryBackoff(_options.RetryDelay, _options.MaxRetryDelay);

    /// <summary>
    /// Hands the buffer and the cursor after it to a write of their own and gives the fill an empty buffer (the one
    /// written before, reused). On the thread pool: the DuckDB store writes synchronously, so an inline start would
    /// run the whole write before the next fill.
    /// </summary>
    private void StartWrite(CancellationToken cancellationToken)
    {
        var batch = _buffer;
        var end = _cursor;
        _buffer = _spare ?? [];
        _spare = null;
        _writingBatch = batch;
        _writingEnd = end;
        _writing = Task.Run(() => FlushAsync(batch, end, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Waits for the batch in flight; its list becomes the next spare buffer. False when the write gave up, and a
    /// cancelled write throws: either way the batch stays in flight for <see cref="DrainWriteAsync"/>.
    /// </summary>
    private async Task<bool> CompleteWriteAsync()
    {
        if (_writing is null) { return true; }
        if (!await _writing) { return false; }

        _writing = null;
        _writingBatch.Clear();
        _spare = _writingBatch;
        _writingBatch = [];
        return true;
    }

    /// <summary>
    /// At stop: the batch in flight, once more without cancellation when the stop cut its write short. False when it
    /// is still not stored; the batches after it must then stay uncommitted (the next start replays them in order).
    /// </summary>
    private async Task<bool> DrainWriteAsync()
    {
        if (_writing is null) { return true; }
        var writing = _writing;
        _writing = null;
        try
        {
            if (await writing) { return true; }
        }
        catch (OperationCanceledException)
        {
        }

        return await FlushAsync(_writingBatch, _writingEnd, CancellationToken.None, giveUpAfterFirstFailure: true);
    }

    /// <summary>Stores <paramref name="batch"/>, then commits <paramref name="end"/>; false when it gave up with the batch not stored.</summary>
    private async Task<bool> FlushAsync(List<TrackedEvent> batch, SpoolPosition end, CancellationToken cancellationToken, bool giveUpAfterFirstFailure = false)
    {
        // Rejections from ingest first, so they are written on every flush whatever happens to the events below.
        await WriteBadEventsAsync(cancellationToken);
        if (batch.Count == 0)
        {
            CommitCursor(end);
            return true;
        }

        if (!await WriteRangeAsync(batch, 0, batch.Count, giveUpAfterFirstFailure, cancellationToken)) { return false; } // still in the spool: replayed on next start

        // Events the store refused are in the spool until the cursor passes them: their bad_events rows are written
        // before the commit, so a crash in between replays them rather than losing an acknowledged event.
        while (_badEvents.HasPending && !await WriteBadEventsAsync(cancellationToken))
        {
            if (giveUpAfterFirstFailure) { return false; }
            await Task.Delay(Backoff.Next(), _time, cancellationToken);
        }

        CommitCursor(end);
        return true;
    }

    /// <summary>
    /// Writes <c>batch[start..start+count]</c>. A transient failure is retried in place with back-off, so a half
    /// already stored is never written again; a refusal for the rows' sake splits the range (see
    /// <see cref="SplitRejectedAsync"/>). False when it gave up (shutdown) with the range not fully stored.
    /// </summary>
    private async Task<bool> WriteRangeAsync(List<TrackedEvent> batch, int start, int count, bool giveUpAfterFirstFailure, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // The whole batch goes as it is (no copy on the normal path); only a split copies its half.
                var events = start == 0 && count == batch.Count ? batch : batch.GetRange(start, count);
                var inserted = await _store.WriteEventsAsync(events, cancellationToken);
                _metrics.BatchWritten(count, inserted);
                _backoff?.Reset();
                return true;
            }
            catch (StoreRejectedDataException ex)
            {
                return await SplitRejectedAsync(batch, start, count, ex, giveUpAfterFirstFailure, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _metrics.WriteError();
                var delay = Backoff.Next();
                LogWriteFailed(ex, count, delay);
                if (giveUpAfterFirstFailure) { return false; }

                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    private void CommitCursor(SpoolPosition end)
    {
        try
        {
            _spool.Commit(end);
        }
        catch (IOException ex)
        {
            // The rows are stored; a lost checkpoint only means a replay that dedup absorbs.
            _logger.LogError(ex, "Could not save the spool checkpoint at {Cursor}", end);
        }
    }

    /// <summary>Writes the queued bad events; false when the store failed (the rows are queued again for the next try).</summary>
    private async Task<bool> WriteBadEventsAsync(CancellationToken cancellationToken)
    {
        if (!_badEvents.HasPending) { return true; }
        var bad = _badEvents.Drain();
        if (bad.Count == 0) { return true; }

        try
        {
            await _store.WriteBadEventsAsync(bad, cancellationToken);
            return true;
        }
        catch (StoreRejectedDataException ex)
        {
            // Refused for what they hold: trying again fails the same way, and would hold the sink forever.
            _logger.LogError(ex, "The store refused {Count} bad events; they are not kept", bad.Count);
            foreach (var row in bad) { _metrics.BadEventDropped(row.Workspace ?? BadEventQueue.NoWorkspace); }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Could not store {Count} bad events; keeping them for the next write", bad.Count);
            foreach (var row in bad) { _badEvents.AddUnbudgeted(row); }
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event store write of {Count} events failed; retrying in {Delay}")]
    private partial void LogWriteFailed(Exception exception, int count, TimeSpan delay);
}
