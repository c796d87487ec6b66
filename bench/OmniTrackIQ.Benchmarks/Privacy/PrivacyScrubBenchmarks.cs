using System.Text;
using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Privacy;

namespace OmniTrackIQ.Benchmarks.Privacy;

/// <summary>
/// What hashing e-mails and phones by their shape costs an event on its way to the spool (issue 15): the text fields
/// (<see cref="EventScrubber"/>) and the properties JSON (<see cref="PiiRedactor"/>), on the LoadGen page view, on
/// Segment's page properties, and on an event carrying an address and a phone in every field. Expected allocations:
/// none for events without PII (no field changes, the properties text is the one string kept anyway).
/// </summary>
[MemoryDiagnoser]
public class PrivacyScrubBenchmarks
{
    private const string Ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private readonly byte[] _segmentProperties = Encoding.UTF8.GetBytes("""{"url":"https://shop.example/p?utm_source=google&utm_medium=cpc","referrer":"https://www.google.com/","title":"Shop"}""");
    private readonly byte[] _propertiesWithPii = Encoding.UTF8.GetBytes("""{"customer":{"email":"jane.doe@example.com","phone":"+1 415 555 0100"},"note":"for jane.doe@example.com","url":"https://shop.example/?e=jane.doe%40example.com","total":59.9}""");
    private readonly TrackedEvent _event = new();

    /// <summary>The LoadGen page view after the channel enricher (campaign values read from its URL).</summary>
    [Benchmark(Baseline = true)]
    public string? LoadGenEvent()
    {
        _event.MessageId = "run-0001-0000000042-07";
        _event.AnonymousId = "a000107";
        _event.UserId = null;
        _event.PageUrl = "https://shop.example/p?utm_source=google&utm_medium=cpc";
        _event.PageReferrer = "https://www.google.com/";
        _event.UtmSource = "google";
        _event.UtmMedium = "cpc";
        _event.UserAgent = Ua;
        EventScrubber.Scrub(_event);
        return _event.PageUrl;
    }

    [Benchmark]
    public string? EventWithPiiInEveryField()
    {
        _event.MessageId = "m-1";
        _event.AnonymousId = "+1 415 555 0100";
        _event.UserId = "Jane.Doe@Example.com";
        _event.PageUrl = "https://shop.example/p?email=jane.doe%40example.com&utm_source=google&utm_medium=cpc";
        _event.PageReferrer = "https://mail.example/?tel=0415%20555%200100";
        _event.UtmSource = "jane.doe@example.com";
        _event.UtmMedium = "email";
        _event.UserAgent = Ua;
        EventScrubber.Scrub(_event);
        return _event.PageUrl;
    }

    [Benchmark]
    public string SegmentPageProperties() => PiiRedactor.Redact(_segmentProperties);

    [Benchmark]
    public string SegmentPageProperties_unredacted_string() => Encoding.UTF8.GetString(_segmentProperties);

    [Benchmark]
    public string PropertiesWithPii() => PiiRedactor.Redact(_propertiesWithPii);
}
