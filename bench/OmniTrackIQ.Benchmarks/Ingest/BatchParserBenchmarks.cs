using System.Text;
using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Benchmarks.Ingest;

/// <summary>
/// The per-event parser on the load generator's batch shape (20 page views with a campaign URL and referrer), in
/// our wire format and as Segment's analytics-node sends it (context.library, integrations, _metadata, properties),
/// and with one invalid event among them. What it allocates per event is what it must keep: the event, its strings.
/// </summary>
[MemoryDiagnoser]
public class BatchParserBenchmarks
{
    // "#" in a template is the event's number.
    private readonly byte[] _ours = Body(i => """{"type":"page","messageId":"run-0001-#","anonymousId":"a0001#","timestamp":"2026-11-23T11:59:59.000Z","context":{"page":{"url":"https://shop.example/p?utm_source=google&utm_medium=cpc","referrer":"https://www.google.com/"}}}""");

    private readonly byte[] _segment = Body(i => """{"type":"page","name":"Home","properties":{"url":"https://shop.example/p?utm_source=google&utm_medium=cpc","referrer":"https://www.google.com/","title":"Shop"},"anonymousId":"a#","messageId":"node-next-1764000000000-#-0000-4000-8000-000000000000","timestamp":"2026-11-23T11:59:59.000Z","integrations":{},"context":{"library":{"name":"@segment/analytics-node","version":"3.1.0"}},"_metadata":{"nodeVersion":"v20.20.2","jsRuntime":"node"}}""");

    private readonly byte[] _oneInvalid = Body(i => i == 7
        ? """{"type":"track","messageId":"bad","anonymousId":"a"}"""
        : """{"type":"page","messageId":"m#","anonymousId":"a","context":{"page":{"url":"https://shop.example/"}}}""");

    // Every place a client can put an address or a phone: the worst case of the privacy step.
    private readonly byte[] _withPii = Body(i => """{"type":"page","messageId":"m#","userId":"Jane.Doe@Example.com","anonymousId":"+1 415 555 0100","context":{"page":{"url":"https://shop.example/p?email=jane.doe%40example.com&utm_source=google&utm_medium=cpc","referrer":"https://mail.example/?tel=0415%20555%200100"}},"properties":{"customer":{"email":"jane.doe@example.com","phone":"+1 415 555 0100"},"note":"for jane.doe@example.com"}}""");

    private static byte[] Body(Func<int, string> template) =>
        Encoding.UTF8.GetBytes("""{"writeKey":"wk_bench","sentAt":"2026-11-23T12:00:00.000Z","batch":["""
            + string.Join(",", Enumerable.Range(0, 20).Select(i => template(i).Replace("#", i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))) + "]}");

    [Benchmark(Baseline = true)]
    public int OurWireFormat() => BatchParser.TryParse(_ours, out var batch) is null ? batch.Events.Count : -1;

    [Benchmark]
    public int SegmentNodeShape() => BatchParser.TryParse(_segment, out var batch) is null ? batch.Events.Count : -1;

    /// <summary>The LoadGen shape as it reaches the spool: parsed, then every text field through the privacy step.</summary>
    [Benchmark]
    public int OurWireFormat_then_scrubbed() => Scrubbed(_ours);

    [Benchmark]
    public int SegmentNodeShape_then_scrubbed() => Scrubbed(_segment);

    [Benchmark]
    public int EveryFieldHoldingPii_then_scrubbed() => Scrubbed(_withPii);

    private static int Scrubbed(byte[] body)
    {
        if (BatchParser.TryParse(body, out var batch) is not null) { return -1; }
        foreach (var evt in batch.Events) { EventScrubber.Scrub(evt); }
        return batch.Events.Count;
    }

    [Benchmark]
    public int OneInvalidEventAmongTwenty() => BatchParser.TryParse(_oneInvalid, out var batch) is null ? batch.Events.Count + batch.Rejected.Count : -1;
}
