using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Enrichment.Channels;
using OmniTrackIQ.Enrichment.GeoIp;
using OmniTrackIQ.Enrichment.Privacy;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.UserAgents;

namespace OmniTrackIQ.Benchmarks.Ingest;

/// <summary>
/// Issue 16: what one accepted pixel hit costs the collector past Kestrel, on bench/throughput.sh's hit. Parse_query is
/// the query string read into an event; Accept_hit is the handler's whole accepted path: the query read, then the
/// pipeline (the collector's four enrichers, the privacy scrub) and the spool's append (serialised, queued for the next
/// group commit, which a running SpoolWriter makes on tmpfs). Stored segments are committed away now and then to keep
/// tmpfs small. bench/RESULTS.md ("Session 8: the pixel path") has the figures before and after.
/// </summary>
[MemoryDiagnoser]
public class PixelHitBenchmarks : IDisposable
{
    /// <summary>bench/throughput.sh's wrk hit.</summary>
    private const string Query = "?wk=wk_bench&mid=m1&aid=a1&url=https%3A%2F%2Fshop.example%2F";
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.77");
    private readonly string _directory = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "otq-pixel-bench-" + Guid.NewGuid().ToString("N"));
    private readonly WorkspaceSettings _workspace = new() { Id = "bench", OwnDomains = ["shop.example"] };
    private SegmentedSpool _spool = null!;
    private SpoolWriter _writer = null!;
    private GeoIpDatabase _geo = null!;
    private IngestPipeline _pipeline = null!;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var metrics = new CollectorMetrics();
        var options = new SpoolOptions { Directory = _directory };
        _spool = SegmentedSpool.Open(_directory, SpoolOptions.DefaultSegmentBytes, NullLogger.Instance);
        _writer = new SpoolWriter(_spool, options, new SinkQueue(256), NullLogger<SpoolWriter>.Instance);
        _writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        // As the collector wires them (CollectorServices): user agent, geo (no database configured, as in the bench), privacy, channel.
        _geo = new GeoIpDatabase(Options.Create(new GeoIpOptions()), NullLogger<GeoIpDatabase>.Instance);
        IEventEnricher[] enrichers = [new UserAgentEnricher(new UserAgentCache(UserAgentParser.FromFile(), 1_000)), new GeoIpEnricher(_geo), new PrivacyEnricher(), new ChannelEnricher()];
        _pipeline = new IngestPipeline(enrichers, _writer, options, new BadEventQueue(time, metrics), metrics, time);
    }

    [Benchmark]
    public string? Parse_query() => PixelQueryParser.TryParse(Query, out _, out _, out var evt) is null ? evt.AnonymousId : null;

    [Benchmark]
    public ValueTask<IngestOutcome> Accept_hit()
    {
        if (_spool.BytesOnDisk > 64L * 1024 * 1024) { _spool.Commit(_spool.DurableEnd); }
        PixelQueryParser.TryParse(Query, out _, out _, out var evt);
        var sender = new IngestRequest(Client, Browser, false, _workspace);
        return _pipeline.AcceptAsync(new IngestBatch(IngestRoute.Pixel, sender, _pipeline.Now, [evt], []) { Query = Query }, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _writer.Dispose();
        _spool.Dispose();
        _geo.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
