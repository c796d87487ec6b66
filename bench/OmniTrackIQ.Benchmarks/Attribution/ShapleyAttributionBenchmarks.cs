using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Attribution.Paths;
using OmniTrackIQ.Attribution.Shapley;

namespace OmniTrackIQ.Benchmarks.Attribution;

/// <summary>Shapley values: exact subset DP at the 15-channel limit, and sampling just above it.</summary>
[MemoryDiagnoser]
public class ShapleyAttributionBenchmarks
{
    private PathCount[] _fifteen = [];
    private PathCount[] _twenty = [];

    [GlobalSetup]
    public void Setup()
    {
        _fifteen = AttributionData.DistinctPaths(20_000, channels: 15, seed: 5);
        _twenty = AttributionData.DistinctPaths(20_000, channels: 20, seed: 5);
    }

    [Benchmark]
    public bool ExactFifteenChannels() => ShapleyModel.Compute(_fifteen).IsExact;

    /// <summary>20 channels, the default 2,000 permutations.</summary>
    [Benchmark]
    public bool SampledTwentyChannels() => ShapleyModel.Compute(_twenty).IsExact;
}
