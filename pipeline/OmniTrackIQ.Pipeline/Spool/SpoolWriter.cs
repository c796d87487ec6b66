using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Pipeline.Spool;

/// <summary>
/// Group commit: request threads serialise their batch and queue it; one loop appends everything
/// queued, fsyncs once, and only then completes the waiting requests (so a 2xx always means "on
/// disk") and offers the batches to the sink. While one fsync runs the next group gathers.
/// </summary>
public sealed class SpoolWriter : BackgroundService
{
    private const int MaxGroupBytes = 16 * 1024 * 1024;
    private readonly SegmentedSpool _spool;
    private readonly SpoolOptions _options;
    private readonly SinkQueue _sinkQueue;
    private readonly ILogger<SpoolWriter> _logger;
    private readonly Channel<PendingAppend> _pending;
    private volatile bool _faulted;

    public SpoolWriter(SegmentedSpool spool, SpoolOptions options, SinkQueue sinkQueue, ILogger<SpoolWriter> logger)
    {
        _spool = spool;
        _options = options;
        _sinkQueue = sinkQueue;
        _logger = logger;
        _pending = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.PendingCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>True when the spool has room; false means answer 503 + Retry-After.</summary>
    public bool HasRoom => !_faulted && _spool.BytesOnDisk < _options.MaxBytes;

    /// <summary>False after a disk error: the process must be restarted (readyz reports it).</summary>
    public bool Healthy => !_faulted;

    /// <summary>
    /// Makes a batch durable. With <paramref name="waitForDisk"/> the task completes after the fsync
    /// that covers it; without (pixel requests), once it is queued for the next group.
    /// </summary>
    public async ValueTask AppendAsync(List<TrackedEvent> events, bool waitForDisk, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                JsonSerializer.Serialize(writer, events, SpoolJsonContext.Default.ListTrackedEvent);
            }

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
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            var bytes = 0;
            while (bytes < MaxGroupBytes && _pending.Reader.TryRead(out var item))
            {
                group.Add(item);
                bytes += item.Buffer.WrittenSpan.Length;
            }

            CommitGroup(group);
            group.Clear();
        }
    }

    private void CommitGroup(List<PendingAppend> group)
    {
        var batches = new SpooledBatch[group.Count];
        try
        {
            if (_faulted) { throw new IOException("spool is faulted after an earlier disk error"); }

            for (var i = 0; i < group.Count; i++)
            {
                var (start, end) = _spool.Append(group[i].Buffer.WrittenSpan);
                batches[i] = new SpooledBatch(start, end, group[i].Events);
            }

            _spool.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _faulted = true;
            _logger.LogCritical(ex, "Spool write failed; refusing further events until restart");
            foreach (var item in group)
            {
                item.Completion.TrySetException(new SpoolUnavailableException("the spool could not write to disk", ex));
                item.Buffer.Dispose();
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Buffer.Dispose();
            group[i].Completion.TrySetResult();
            _sinkQueue.TryOffer(batches[i]);
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
