using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OmniTrackIQ.Pipeline.Metrics;

/// <summary>
/// Every number <c>GET /metrics</c> reports, as <see cref="System.Diagnostics.Metrics"/> instruments of one meter
/// (<see cref="MeterName"/>); an exporter (Prometheus, OTLP) reads them. Instrument names are the exposed Prometheus
/// names, with no unit, so the exporter adds no suffix and the names dashboards know stay as they were.
/// Totals without a label are observable counters over fields kept here: like before, each series is there from the
/// first scrape (at 0), and tests and the sink's callers can read them. Totals by label are counters with a tag.
/// </summary>
public sealed class CollectorMetrics
{
    public const string MeterName = "OmniTrackIQ";

    /// <summary>Request durations' bucket bounds in seconds, the ones the dashboards' quantiles were drawn from.</summary>
    internal static readonly double[] LatencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Counter<long> _rejectedEvents;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _badEventsDropped;
    private readonly Counter<long> _duplicatesSkipped;
    private readonly Histogram<double> _requestDuration;
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

    /// <summary>A meter of its own, for code that runs without a host (tests, benchmarks).</summary>
    public CollectorMetrics() : this(new Meter(MeterName)) { }

    /// <summary>The host's meter: made by its factory, so it lives and dies with that host's container.</summary>
    public CollectorMetrics(IMeterFactory meters) : this(meters.Create(MeterName)) { }

    private CollectorMetrics(Meter meter)
    {
        Meter = meter;
        Total("otq_events_accepted_total", "Events accepted (answered 2xx) by ingest.", () => AcceptedEvents);
        _rejectedEvents = meter.CreateCounter<long>("otq_events_rejected_total", description: "Events refused, by reason.");
        _rateLimited = meter.CreateCounter<long>("otq_rate_limited_total", description: "Events (write key) and requests (secret key) refused by a workspace's rate limit.");
        _badEventsDropped = meter.CreateCounter<long>("otq_bad_events_dropped_total", description: "Refused payloads not kept in bad_events (over the workspace's budget or the queue's capacity).");
        _duplicatesSkipped = meter.CreateCounter<long>("otq_ingest_duplicates_skipped_total",
            description: "Events answered as accepted without being spooled again: another ingest node had made them durable (Redis hint).");
        Total("otq_spool_full_total", "Requests answered 503 because the spool was full.", () => SpoolFullRejections);
        meter.CreateObservableGauge("otq_spool_bytes", () => SpoolBytes(), description: "Bytes held by spool segment files.");
        meter.CreateObservableGauge("otq_channel_depth", () => ChannelDepth(), description: "Durable batches waiting in the channel for the sink writer.");
        Total("otq_store_batches_written_total", "Batches written to the event store.", () => BatchesWritten);
        Total("otq_store_rows_written_total", "New rows written to the event store (ClickHouse: a copy of an event older than its recent-id filter and existence-check window counts again; reads count it once).", () => RowsWritten);
        Total("otq_store_rows_deduplicated_total", "Rows skipped because their event id was already stored.", () => RowsDeduplicated);
        Total("otq_store_write_errors_total", "Failed writes to the event store (retried).", () => WriteErrors);
        Total("otq_spool_records_replayed_total", "Spool records read back from disk (replay after restart or channel overflow).", () => ReplayedRecords);
        Total("otq_spool_corrupt_records_total", "Damaged spool stretches skipped (one or more records each), kept in quarantine and bad_events.", () => SpoolCorruptRecords);
        Total("otq_spool_corrupt_bytes_total", "Bytes of damaged spool stretches skipped.", () => SpoolCorruptBytes);
        Total("otq_spool_torn_bytes_total", "Bytes of torn tails (no whole record after them) cut off the spool at start, kept in quarantine.", () => SpoolTornBytes());
        Total("otq_attribution_runs_total", "Attribution worker runs (one per workspace and tick).", () => AttributionRuns);
        Total("otq_attribution_run_failures_total", "Attribution worker runs that failed (retried next tick).", () => AttributionFailures);
        Total("otq_attribution_conversions_total", "Conversions recomputed by the attribution worker.", () => AttributionConversions);
        meter.CreateObservableGauge("otq_attribution_last_run_seconds", () => AttributionLastRunSeconds, description: "Duration of the attribution worker's most recent run.");
        _requestDuration = meter.CreateHistogram("otq_http_request_duration_seconds", unit: null, description: "HTTP request latency by route.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBounds });
    }

    /// <summary>The meter every instrument above belongs to; an exporter or a test listens to this one and no other.</summary>
    public Meter Meter { get; }

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
    /// <summary>Reasons come from code, never from input, so the label set stays small.</summary>
    public void EventsRejected(string reason, int count = 1) => _rejectedEvents.Add(count, new KeyValuePair<string, object?>("reason", reason));
    public void SpoolFull() => Interlocked.Increment(ref _spoolFullRejections);
    public void RateLimited(string workspace, int count = 1) => _rateLimited.Add(count, new KeyValuePair<string, object?>("workspace", workspace));
    /// <summary>Workspaces come from the configuration, never from input, so the label set stays small.</summary>
    public void DuplicatesSkipped(string workspace, int count) => _duplicatesSkipped.Add(count, new KeyValuePair<string, object?>("workspace", workspace));
    public void BadEventDropped(string workspace) => _badEventsDropped.Add(1, new KeyValuePair<string, object?>("workspace", workspace));
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

    /// <summary>The route is the endpoint's pattern, never the raw path, so the label set stays small.</summary>
    public void ObserveRequest(string route, long elapsedTimestampTicks) =>
        _requestDuration.Record((double)elapsedTimestampTicks / Stopwatch.Frequency, new KeyValuePair<string, object?>("route", route));

    private void Total(string name, string description, Func<long> read) => Meter.CreateObservableCounter(name, read, description: description);
}
