using Microsoft.Extensions.Logging;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>The write half of the sink: store the buffer, retry transient failures with back-off, then checkpoint.</summary>
public sealed partial class SinkWriter
{
    private RetryBackoff? _backoff;

    private RetryBackoff Backoff => _backoff ??= new RetryBackoff(_options.RetryDelay, _options.MaxRetryDelay);

    private async Task FlushAsync(CancellationToken cancellationToken, bool giveUpAfterFirstFailure = false)
    {
        // Rejections from ingest first, so they are written on every flush whatever happens to the events below.
        await WriteBadEventsAsync(cancellationToken);
        if (_buffer.Count == 0)
        {
            CommitCursor();
            return;
        }

        if (!await WriteRangeAsync(0, _buffer.Count, giveUpAfterFirstFailure, cancellationToken)) { return; } // still in the spool: replayed on next start

        // Events the store refused are in the spool until the cursor passes them: their bad_events rows are written
        // before the commit, so a crash in between replays them rather than losing an acknowledged event.
        while (_badEvents.HasPending && !await WriteBadEventsAsync(cancellationToken))
        {
            if (giveUpAfterFirstFailure) { return; }
            await Task.Delay(Backoff.Next(), _time, cancellationToken);
        }

        _buffer.Clear();
        CommitCursor();
    }

    /// <summary>
    /// Writes <c>_buffer[start..start+count]</c>. A transient failure is retried in place with back-off, so a half
    /// already stored is never written again; a refusal for the rows' sake splits the range (see
    /// <see cref="SplitRejectedAsync"/>). False when it gave up (shutdown) with the range not fully stored.
    /// </summary>
    private async Task<bool> WriteRangeAsync(int start, int count, bool giveUpAfterFirstFailure, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // The whole buffer goes as it is (no copy on the normal path); only a split copies its half.
                var events = start == 0 && count == _buffer.Count ? _buffer : _buffer.GetRange(start, count);
                var inserted = await _store.WriteEventsAsync(events, cancellationToken);
                _metrics.BatchWritten(count, inserted);
                _backoff?.Reset();
                return true;
            }
            catch (StoreRejectedDataException ex)
            {
                return await SplitRejectedAsync(start, count, ex, giveUpAfterFirstFailure, cancellationToken);
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

    private void CommitCursor()
    {
        try
        {
            _spool.Commit(_cursor);
        }
        catch (IOException ex)
        {
            // The rows are stored; a lost checkpoint only means a replay that dedup absorbs.
            _logger.LogError(ex, "Could not save the spool checkpoint at {Cursor}", _cursor);
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
