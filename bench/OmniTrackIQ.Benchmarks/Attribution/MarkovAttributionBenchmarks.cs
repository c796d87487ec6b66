using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Attribution.Markov;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Benchmarks.Attribution;

/// <summary>Exact Markov removal effects on 100,000 distinct paths over 12 channels (target: order 1 &lt; 1 s).</summary>
[MemoryDiagnoser]
public class MarkovAttributionBenchmarks
{
    private PathCount[] _paths = [];

    [Params(1, 2, 4)]
    public int Order { get; set; }

    [GlobalSetup]
    public void Setup() => _paths = AttributionData.DistinctPaths(100_000, channels: 12, seed: 7);

    [Benchmark]
    public double MarkovRemovalEffects() => MarkovModel.Compute(_paths, Order).ConversionProbability;
}
