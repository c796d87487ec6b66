using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Benchmarks.Spool;

/// <summary>
/// Issue 16, the spool record: encoding a batch of enriched events as the spool writer does on every request
/// (a fresh pooled buffer per batch) and decoding it as the sink does when it reads the spool back, JSON (the record
/// up to session 7, <see cref="SpoolJsonContext"/>, the baseline) against binary (<see cref="SpoolBatchCodec"/>).
/// One record of 20 events (a batch request) and of 10,000 (the sink's batch). The events are enriched page views
/// with every field a browser hit carries. Expected allocations: encode, none beyond the pooled buffer (binary) and the
/// JSON writer (JSON); decode, the events and their strings (binary), plus the serializer's buffers (JSON).
/// </summary>
[MemoryDiagnoser]
public class SpoolRecordBenchmarks
{
    private List<TrackedEvent> _events = [];
    private byte[] _json = [];
    private byte[] _binary = [];

    [Params(20, 10_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. Enumerable.Range(0, Events).Select(Enriched)];
        _json = JsonSerializer.SerializeToUtf8Bytes(_events, SpoolJsonContext.Default.ListTrackedEvent);
        using var buffer = new PooledBufferWriter();
        SpoolBatchCodec.Encode(_events, buffer);
        _binary = buffer.WrittenSpan.ToArray();
        // The record's size on disk (payload; the header adds 16 bytes a record), printed into the run's log.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// spool record of {Events} events: JSON {_json.Length} bytes ({_json.Length / (double)Events:F0}/event), binary {_binary.Length} bytes ({_binary.Length / (double)Events:F0}/event)"));
    }

    [Benchmark(Baseline = true)]
    public int EncodeJson()
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, _events, SpoolJsonContext.Default.ListTrackedEvent);
        }

        return buffer.WrittenSpan.Length;
    }

    [Benchmark]
    public int EncodeBinary()
    {
        using var buffer = new PooledBufferWriter();
        SpoolBatchCodec.Encode(_events, buffer);
        return buffer.WrittenSpan.Length;
    }

    [Benchmark]
    public int DecodeJson() => JsonSerializer.Deserialize(_json, SpoolJsonContext.Default.ListTrackedEvent)!.Count;

    [Benchmark]
    public int DecodeBinary()
    {
        var events = new List<TrackedEvent>();
        return SpoolBatchCodec.TryDecode(SpoolRecordKind.Binary, _binary, events, out _) ? events.Count : -1;
    }

    private static TrackedEvent Enriched(int i) => new()
    {
        Workspace = "shop-1",
        Type = EventType.Page,
        MessageId = "01JF3Z8Q4W6N2M7K5T9R" + i.ToString("D6", CultureInfo.InvariantCulture),
        AnonymousId = "a6f1c0de-3b7e-4c1f-9a55-" + i.ToString("D12", CultureInfo.InvariantCulture),
        Timestamp = new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
        PropertiesJson = """{"path":"/products/winter-jacket","search":"?size=m","category":"outerwear"}""",
        PageUrl = "https://shop.example/products/winter-jacket?utm_source=google&utm_medium=cpc&gclid=Cj0KCQiA",
        PageReferrer = "https://www.google.com/",
        PageTitle = "Winter Jacket – Example Shop",
        UtmSource = "google", UtmMedium = "cpc", UtmCampaign = "winter-sale",
        ClickIdType = "gclid", ClickId = "Cj0KCQiA",
        ReceivedAt = new DateTimeOffset(2026, 12, 7, 4, 0, 1, TimeSpan.Zero),
        Ts = new DateTimeOffset(2026, 12, 7, 4, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
        Ip = "203.0.113.0",
        UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        Country = "DE", Region = "BE", City = "Berlin", Asn = 3320, AsnOrganization = "Deutsche Telekom AG",
        Browser = "Chrome", BrowserVersion = "131.0.0.0", Os = "Windows", OsVersion = "10",
        DeviceFamily = "Other", DeviceClass = "desktop",
        Channel = "Paid Search", AdPlatform = "Google Ads",
        ConsentAnalytics = true, ConsentAds = true,
    };
}
