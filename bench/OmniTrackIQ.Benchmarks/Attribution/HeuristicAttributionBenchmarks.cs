using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Benchmarks.Attribution;

/// <summary>
/// Heuristic models over 100,000 per-person paths (mean ~5.5 touches). Reported time is per conversion
/// (OperationsPerInvoke), so conversions/s = 1e9 / Mean[ns]; the target is ≥ 1,000,000 on one core with
/// 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class HeuristicAttributionBenchmarks
{
    private const int Conversions = 100_000;

    private ConversionPath[] _paths = [];
    private double[] _credits = [];
    private PathAttributor _plain = null!;
    private PathAttributor _filtered = null!;

    [Params(HeuristicModel.FirstTouch, HeuristicModel.LastNonDirect, HeuristicModel.Linear, HeuristicModel.TimeDecay, HeuristicModel.PositionBased, HeuristicModel.WShaped)]
    public HeuristicModel Model { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _paths = AttributionData.ConversionPaths(Conversions, channels: 12, seed: 42);
        _credits = new double[16];
        _plain = new PathAttributor();
        _filtered = new PathAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(30), PaidClicksFirst = true });
    }

    [Benchmark(OperationsPerInvoke = Conversions)]
    public double AttributeConversion() => Run(_plain);

    /// <summary>With a 30-day lookback window and "paid clicks first" (the filtering path).</summary>
    [Benchmark(OperationsPerInvoke = Conversions)]
    public double AttributeConversionFiltered() => Run(_filtered);

    private double Run(PathAttributor attributor)
    {
        var checksum = 0.0;
        var credits = _credits.AsSpan();
        foreach (var path in _paths)
        {
            attributor.Attribute(Model, path, credits);
            checksum += credits[0];
        }

        return checksum;
    }
}
