using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>What one labelled counter of one <see cref="CollectorMetrics"/> counted, per label value (a listener on that meter only).</summary>
internal sealed class LabeledTotals(CollectorMetrics metrics, string instrument, string label) : IDisposable
{
    private readonly MetricCollector<long> _collector = new(metrics.Meter, instrument);

    public long Get(string value)
    {
        long total = 0;
        foreach (var measurement in _collector.GetMeasurementSnapshot())
        {
            if (measurement.Tags.TryGetValue(label, out var tag) && Equals(tag, value)) { total += measurement.Value; }
        }

        return total;
    }

    public void Dispose() => _collector.Dispose();
}
