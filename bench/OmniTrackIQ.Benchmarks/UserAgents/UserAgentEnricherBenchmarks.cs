using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Events;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.UserAgents;

namespace OmniTrackIQ.Benchmarks.UserAgents;

/// <summary>The UA enricher on the hot path: a User-Agent already in the cache. Expected allocations: 0 B.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class UserAgentEnricherBenchmarks
{
    private readonly TrackedEvent _event = new();
    private UserAgentEnricher _enricher = null!;
    private IngestRequest _request;

    [GlobalSetup]
    public void Setup()
    {
        var cache = new UserAgentCache(UserAgentParser.FromFile(), 1_000);
        _enricher = new UserAgentEnricher(cache);
        _request = new IngestRequest(null, UserAgentMix.All[7], false, new WorkspaceSettings { Id = "bench" });
        _enricher.Enrich(_event, _request);
    }

    [Benchmark]
    public EnrichmentVerdict EnrichCachedUserAgent() => _enricher.Enrich(_event, _request);
}
