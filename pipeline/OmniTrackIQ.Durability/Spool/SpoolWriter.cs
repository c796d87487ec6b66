using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Group commit: request threads encode their batch (<see cref="SpoolBatchCodec"/>, into a pooled buffer) and queue it; one loop appends everything
/// queued, fsyncs once, and only then completes the waiting requests (so a 2xx always means "on
/// disk") and offers the batches to the sink. While one fsync runs the next group gathers.
/// When the disk refuses a write (full, or an I/O error) the group is answered 503 and the spool reports
/// itself not writable; the loop then probes the disk every <see cref="ProbeInterval"/> and takes events again
/// as soon as it can write, with no restart.
/// </summary>
public sealed class SpoolWriter : BackgroundService
{
    private const int MaxGroupBytes = 16 * 1024 * 1024;
    /// <summary>How soon after space returns the spool is writable (and /readyz 200) again with no traffic to prove it.</summary>
    internal static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private readonly SegmentedSpool _spool;
    private readonly SpoolOptions _options;
    private readonly SinkQueue _sinkQueue;
    private readonly ILogger<SpoolWriter> _logger;
    private readonly TimeProvider _time;
    private readonly Channel<PendingAppend> _pending;
    private volatile string? _notWritable;

    public SpoolWriter(SegmentedSpool spool, SpoolOptions options, SinkQueue sinkQueue, ILogger<SpoolWriter> logger, TimeProvider? time = null)
    {
        _spool = spool;
        _options = options;
        _sinkQueue = sinkQueue;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _pending = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.PendingCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True when the spool can write and has room; false means answer 503 + Retry-After.</summary>
    public bool HasRoom => _notWritable is null && _spool.BytesOnDisk < _options.MaxBytes;

    /// <summary>False while the disk refuses writes (readyz reports it); true again once a write or probe succeeds.</summary>
    public bool Healthy => _notWritable is null;

    /// <summary>Why the spool takes no events now (for readyz), or null when it does.</summary>
    public string? Unavailable => _notWritable is { } reason
        ? "cannot write to disk: " + reason
        : _spool.BytesOnDisk >= _options.MaxBytes ? $"full: {_spool.BytesOnDisk} bytes not yet stored, limit {_options.MaxBytes}" : null;

    /// <summary>
    /// Makes a batch durable. With <paramref name="waitForDisk"/> the task completes after the fsync
    /// that covers it; without (pixel requests), once it is queued for the next group.
    /// </summary>
    public async ValueTask AppendAsync(List<TrackedEvent> events, bool waitForDisk, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            SpoolBatchCodec.Encode(events, buffer);
            var pending = new PendingAppend(buffer, events, waitForDisk);
            await _pending.Writer.WriteAsync(pending, cancellationToken);
            buffer = null; // owned by the loop now
            if (waitForDisk)
            {
                await pending.Completion.Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            buffer?.Dispose();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingAppend>(256);
        // Drain until the channel is completed (StopAsync), so nothing queued is dropped at shutdown.
        while (await WaitForWorkAsync())
        {
            var bytes = 0;
            while (bytes < MaxGroupBytes && _pending.Reader.TryRead(out var item))
            {
                group.Add(item);
                bytes += item.Buffer.WrittenSpan.Length;
            }

            if (group.Count > 0) { CommitGroup(group); }
            group.Clear();
        }
    }

    /// <summary>
    /// Waits for queued batches; false once the channel is completed and empty. While the disk is not writable,
    /// ingest answers 503 up front and no batch may come to find out that space returned, so the loop probes.
    /// When the current segment holds records it also wakes when the segment is due to close for its age: a quiet
    /// spool gets no append that would do it, and its stored events would stay on disk.
    /// </summary>
    private async ValueTask<bool> WaitForWorkAsync()
    {
        while (true)
        {
            var wake = _notWritable is not null ? ProbeInterval : _spool.RollDueIn;
            if (wake is null) { return await _pending.Reader.WaitToReadAsync(CancellationToken.None); }
            if (wake > TimeSpan.Zero)
            {
                using var due = new CancellationTokenSource(wake.Value, _time);
                try
                {
                    return await _pending.Reader.WaitToReadAsync(due.Token);
                }
                catch (OperationCanceledException) when (due.IsCancellationRequested)
                {
                }
            }

            if (_notWritable is not null) { Probe(); }
            else { RollIfDue(); }
        }
    }

    private void RollIfDue()
    {
        try
        {
            _spool.RollIfDue();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing acknowledged is at stake (the old segment was durable); the next append meets the disk's state.
            _logger.LogWarning(ex, "Could not close the spool segment for its age; trying again");
            _notWritable = ex.Message;
        }
    }

    private void Probe()
    {
        try
        {
            _spool.Probe();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _notWritable = ex.Message;
            return;
        }

        _notWritable = null;
        _logger.LogWarning("Spool disk writable again; taking events");
    }

    private void CommitGroup(List<PendingAppend> group)
    {
        var batches = new SpooledBatch?[group.Count];
        Exception? failure = null;
        try
        {
            _spool.RollIfDue();
            for (var i = 0; i < group.Count; i++)
            {
                var (start, end) = _spool.Append(group[i].Buffer.WrittenSpan);
                batches[i] = new SpooledBatch(start, end, group[i].Events);
            }

            _spool.Flush();
            if (_notWritable is not null)
            {
                _notWritable = null;
                _logger.LogWarning("Spool disk writable again; taking events");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The spool cut itself back to its last durable record; the batches before it (made durable when a
            // segment rolled mid-group) are acknowledged, the rest answered 503 and sent again by their clients.
            failure = ex;
            if (_notWritable is null) { _logger.LogCritical(ex, "Spool write failed; answering 503 until the disk takes writes again"); }
            _notWritable = ex.Message;
        }

        var durableEnd = _spool.DurableEnd;
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Buffer.Dispose();
            if (batches[i] is { } batch && (failure is null || batch.End <= durableEnd))
            {
                group[i].Completion.TrySetResult();
                _sinkQueue.TryOffer(batch);
            }
            else
            {
                group[i].Completion.TrySetException(new SpoolUnavailableException("the spool could not write to disk", failure!));
            }
        }
    }

    private sealed class PendingAppend(PooledBufferWriter buffer, List<TrackedEvent> events, bool waited)
    {
        public PooledBufferWriter Buffer { get; } = buffer;
        public List<TrackedEvent> Events { get; } = events;
        public TaskCompletionSource Completion { get; } = new(waited ? TaskCreationOptions.RunContinuationsAsynchronously : TaskCreationOptions.None);
    }
}

/// <summary>The spool cannot take writes (disk error): answer 503, never 2xx.</summary>
public sealed class SpoolUnavailableException(string message, Exception inner) : Exception(message, inner);
