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
    private (SpoolPosition Start, SpoolPosition End)[] _records = new (SpoolPosition, SpoolPosition)[256];

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
            if (pending.Completion is { } completion)
            {
                await completion.Task.WaitAsync(cancellationToken);
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
        // Where each batch's record lies, kept across groups: a group of pixel hits would otherwise allocate a
        // position pair per hit (issue 16). Written is how many of the group's batches the spool took.
        if (_records.Length < group.Count) { _records = new (SpoolPosition, SpoolPosition)[Math.Max(group.Count, _records.Length * 2)]; }
        var written = 0;
        Exception? failure = null;
        try
        {
            _spool.RollIfDue();
            for (; written < group.Count; written++)
            {
                _records[written] = _spool.Append(group[written].Buffer.WrittenSpan);
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
        var offer = new SinkOffer(_sinkQueue);
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Buffer.Dispose();
            if (i < written && (failure is null || _records[i].End <= durableEnd))
            {
                group[i].Completion?.TrySetResult();
                offer.Add(_records[i].Start, _records[i].End, group[i].Events);
            }
            else
            {
                group[i].Completion?.TrySetException(new SpoolUnavailableException("the spool could not write to disk", failure!));
            }
        }

        offer.Flush();
    }

    /// <summary>
    /// The sink is offered one batch per run of records a group wrote back to back, not one per request: a group of
    /// pixel hits (one event each) would otherwise fill the sink's channel at once, and every hit after it would be read
    /// back from disk and decoded again. A run ends where the spool rolled to a new segment mid-group.
    /// </summary>
    private struct SinkOffer(SinkQueue queue)
    {
        private List<TrackedEvent>? _events; // the run's events: the first request's list, copied once a second joins (the requests' lists stay theirs)
        private bool _joined;
        private SpoolPosition _start;
        private SpoolPosition _end;

        public void Add(SpoolPosition start, SpoolPosition end, List<TrackedEvent> events)
        {
            if (_events is not null && _end == start)
            {
                if (!_joined) { (_events, _joined) = ([.. _events], true); }
                _events.AddRange(events);
                _end = end;
                return;
            }

            Flush();
            (_events, _joined, _start, _end) = (events, false, start, end);
        }

        public void Flush()
        {
            if (_events is { } events) { queue.TryOffer(new SpooledBatch(_start, _end, events)); }
            (_events, _joined) = (null, false);
        }
    }

    private sealed class PendingAppend(PooledBufferWriter buffer, List<TrackedEvent> events, bool waited)
    {
        public PooledBufferWriter Buffer { get; } = buffer;
        public List<TrackedEvent> Events { get; } = events;

        /// <summary>Completed after the fsync that covers the batch; none for a pixel hit, which nobody waits for (issue 16).</summary>
        public TaskCompletionSource? Completion { get; } = waited ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }
}

/// <summary>The spool cannot take writes (disk error): answer 503, never 2xx.</summary>
public sealed class SpoolUnavailableException(string message, Exception inner) : Exception(message, inner);
