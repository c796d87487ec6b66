using System.Globalization;
using System.Text;

namespace OmniTrackIQ.Pipeline.Metrics;

/// <summary>Renders <see cref="CollectorMetrics"/> in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(CollectorMetrics m)
    {
        var sb = new StringBuilder(4096);
        Counter(sb, "otq_events_accepted_total", "Events accepted (answered 2xx) by ingest.", m.AcceptedEvents);
        Labeled(sb, "otq_events_rejected_total", "Events refused, by reason.", "reason", m.RejectedEvents);
        Labeled(sb, "otq_rate_limited_total", "Events (write key) and requests (secret key) refused by a workspace's rate limit.", "workspace", m.RateLimitedByWorkspace);
        Labeled(sb, "otq_bad_events_dropped_total", "Refused payloads not kept in bad_events (over the workspace's budget or the queue's capacity).", "workspace", m.BadEventsDroppedByWorkspace);
        Counter(sb, "otq_spool_full_total", "Requests answered 503 because the spool was full.", m.SpoolFullRejections);
        Gauge(sb, "otq_spool_bytes", "Bytes held by spool segment files.", m.SpoolBytes());
        Gauge(sb, "otq_channel_depth", "Durable batches waiting in the channel for the sink writer.", m.ChannelDepth());
        Counter(sb, "otq_store_batches_written_total", "Batches written to the event store.", m.BatchesWritten);
        Counter(sb, "otq_store_rows_written_total", "New rows written to the event store.", m.RowsWritten);
        Counter(sb, "otq_store_rows_deduplicated_total", "Rows skipped because their event id was already stored.", m.RowsDeduplicated);
        Counter(sb, "otq_store_write_errors_total", "Failed writes to the event store (retried).", m.WriteErrors);
        Counter(sb, "otq_spool_records_replayed_total", "Spool records read back from disk (replay after restart or channel overflow).", m.ReplayedRecords);
        Counter(sb, "otq_spool_corrupt_records_total", "Damaged spool stretches skipped (one or more records each), kept in quarantine and bad_events.", m.SpoolCorruptRecords);
        Counter(sb, "otq_spool_corrupt_bytes_total", "Bytes of damaged spool stretches skipped.", m.SpoolCorruptBytes);
        Counter(sb, "otq_spool_torn_bytes_total", "Bytes of torn tails (no whole record after them) cut off the spool at start, kept in quarantine.", m.SpoolTornBytes());
        Counter(sb, "otq_attribution_runs_total", "Attribution worker runs (one per workspace and tick).", m.AttributionRuns);
        Counter(sb, "otq_attribution_run_failures_total", "Attribution worker runs that failed (retried next tick).", m.AttributionFailures);
        Counter(sb, "otq_attribution_conversions_total", "Conversions recomputed by the attribution worker.", m.AttributionConversions);
        GaugeSeconds(sb, "otq_attribution_last_run_seconds", "Duration of the attribution worker's most recent run.", m.AttributionLastRunSeconds);
        Histograms(sb, m);
        return sb.ToString();
    }

    private static void Histograms(StringBuilder sb, CollectorMetrics m)
    {
        const string name = "otq_http_request_duration_seconds";
        sb.Append("# HELP ").Append(name).Append(" HTTP request latency by route.\n# TYPE ").Append(name).Append(" histogram\n");
        foreach (var (route, histogram) in m.RequestLatency.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var cumulative = histogram.CumulativeCounts();
            var label = Escape(route);
            for (var i = 0; i < cumulative.Length; i++)
            {
                var le = i < LatencyHistogram.Bounds.Length ? LatencyHistogram.Bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
                sb.Append(name).Append("_bucket{route=\"").Append(label).Append("\",le=\"").Append(le).Append("\"} ").Append(Num(cumulative[i])).Append('\n');
            }

            sb.Append(name).Append("_sum{route=\"").Append(label).Append("\"} ").Append(histogram.SumSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            sb.Append(name).Append("_count{route=\"").Append(label).Append("\"} ").Append(Num(histogram.Count)).Append('\n');
        }
    }

    private static void Counter(StringBuilder sb, string name, string help, long value) => Metric(sb, "counter", name, help, value);

    private static void Labeled(StringBuilder sb, string name, string help, string label, LabeledCounter counter)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n");
        foreach (var (value, count) in counter.Snapshot())
        {
            sb.Append(name).Append('{').Append(label).Append("=\"").Append(Escape(value)).Append("\"} ").Append(Num(count)).Append('\n');
        }
    }

    private static void Gauge(StringBuilder sb, string name, string help, long value) => Metric(sb, "gauge", name, help, value);

    private static void GaugeSeconds(StringBuilder sb, string name, string help, double seconds) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n")
          .Append(name).Append(' ').Append(seconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

    private static void Metric(StringBuilder sb, string type, string name, string help, long value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
          .Append(name).Append(' ').Append(Num(value)).Append('\n');

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
