using Microsoft.Extensions.Logging;

namespace OmniTrackIQ.Pipeline.Sink;

/// <summary>The write half of the sink: store the buffer, retry with back-off, then checkpoint.</summary>
public sealed partial class SinkWriter
{
    private int _consecutiveFailures;

    private async Task FlushAsync(CancellationToken cancellationToken, bool giveUpAfterFirstFailure = false)
    {
        await WriteBadEventsAsync(cancellationToken);
        if (_buffer.Count == 0)
        {
            CommitCursor();
            return;
        }

        var delay = _options.RetryDelay;
        while (true)
        {
            try
            {
                var inserted = await _store.WriteEventsAsync(_buffer, cancellationToken);
                _metrics.BatchWritten(_buffer.Count, inserted);
                _buffer.Clear();
                _consecutiveFailures = 0;
                CommitCursor();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _metrics.WriteError();
                _consecutiveFailures++;
                LogWriteFailed(ex, _buffer.Count, delay);
                if (giveUpAfterFirstFailure) { return; } // still in the spool: replayed on next start

                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
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

    private async Task WriteBadEventsAsync(CancellationToken cancellationToken)
    {
        var bad = _badEvents.Drain();
        if (bad.Count == 0) { return; }

        try
        {
            await _store.WriteBadEventsAsync(bad, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not store {Count} bad events", bad.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event store write of {Count} events failed; retrying in {Delay}")]
    private partial void LogWriteFailed(Exception exception, int count, TimeSpan delay);
}
