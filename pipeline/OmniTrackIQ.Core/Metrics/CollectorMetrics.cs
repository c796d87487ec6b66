using System.Collections.Concurrent;

namespace OmniTrackIQ.Pipeline.Metrics;

/// <summary>Every number <c>GET /metrics</c> reports; gauges are read through delegates set by their owners.</summary>
public sealed class CollectorMetrics
{
    private long _acceptedEvents;
    private long _batchesWritten;
    private long _rowsWritten;
    private long _rowsDeduplicated;
    private long _writeErrors;
    private long _replayedRecords;
    private long _spoolFullRejections;
    private long _spoolCorruptBytes;
    private long _spoolCorruptRecords;
    private long _attributionRuns;
    private long _attributionFailures;
    private long _attributionConversions;
    private long _attributionLastRunMicroseconds;

    public LabeledCounter RejectedEvents { get; } = new();
    /// <summary>Events (write key) or requests (secret key) refused by a workspace's rate limit, by workspace.</summary>
    public LabeledCounter RateLimitedByWorkspace { get; } = new();
    /// <summary>Bad-event rows not kept (over a workspace's budget or the queue's capacity), by workspace.</summary>
    public LabeledCounter BadEventsDroppedByWorkspace { get; } = new();
    public ConcurrentDictionary<string, LatencyHistogram> RequestLatency { get; } = new(StringComparer.Ordinal);

    public Func<long> SpoolBytes { get; set; } = static () => 0;
    public Func<long> ChannelDepth { get; set; } = static () => 0;
    /// <summary>Bytes of torn tails cut off the spool at start (a counter kept by the spool).</summary>
    public Func<long> SpoolTornBytes { get; set; } = static () => 0;

    public long AcceptedEvents => Interlocked.Read(ref _acceptedEvents);
    public long BatchesWritten => Interlocked.Read(ref _batchesWritten);
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);
    public long RowsDeduplicated => Interlocked.Read(ref _rowsDeduplicated);
    public long WriteErrors => Interlocked.Read(ref _writeErrors);
    public long ReplayedRecords => Interlocked.Read(ref _replayedRecords);
    public long SpoolFullRejections => Interlocked.Read(ref _spoolFullRejections);
    public long SpoolCorruptBytes => Interlocked.Read(ref _spoolCorruptBytes);
    /// <summary>Damaged stretches skipped in the spool (each one record or more that could not be read).</summary>
    public long SpoolCorruptRecords => Interlocked.Read(ref _spoolCorruptRecords);
    public long AttributionRuns => Interlocked.Read(ref _attributionRuns);
    public long AttributionFailures => Interlocked.Read(ref _attributionFailures);
    public long AttributionConversions => Interlocked.Read(ref _attributionConversions);
    public double AttributionLastRunSeconds => Interlocked.Read(ref _attributionLastRunMicroseconds) / 1e6;

    public void EventsAccepted(int count) => Interlocked.Add(ref _acceptedEvents, count);
    public void EventsRejected(string reason, int count = 1) => RejectedEvents.Add(reason, count);
    public void SpoolFull() => Interlocked.Increment(ref _spoolFullRejections);
    public void RateLimited(string workspace, int count = 1) => RateLimitedByWorkspace.Add(workspace, count);
    public void BadEventDropped(string workspace) => BadEventsDroppedByWorkspace.Add(workspace);
    public void RecordsReplayed(int count) => Interlocked.Add(ref _replayedRecords, count);
    public void WriteError() => Interlocked.Increment(ref _writeErrors);

    public void SpoolCorrupt(long bytes)
    {
        Interlocked.Increment(ref _spoolCorruptRecords);
        Interlocked.Add(ref _spoolCorruptBytes, bytes);
    }

    /// <summary>One attribution worker run of one workspace: conversions recomputed and how long it took.</summary>
    public void AttributionRun(int conversions, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _attributionRuns);
        Interlocked.Add(ref _attributionConversions, conversions);
        Interlocked.Exchange(ref _attributionLastRunMicroseconds, (long)(elapsed.TotalMilliseconds * 1000));
    }

    public void AttributionFailed() => Interlocked.Increment(ref _attributionFailures);

    public void BatchWritten(int rows, int inserted)
    {
        Interlocked.Increment(ref _batchesWritten);
        Interlocked.Add(ref _rowsWritten, inserted);
        Interlocked.Add(ref _rowsDeduplicated, rows - inserted);
    }

    public void ObserveRequest(string route, long elapsedTimestampTicks) =>
        RequestLatency.GetOrAdd(route, static _ => new LatencyHistogram()).Observe(elapsedTimestampTicks);
}
