using BenchmarkDotNet.Attributes;
using OmniTrackIQ.Attribution.Heuristics;
using OmniTrackIQ.Attribution.Journeys;
using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Benchmarks.Attribution;

/// <summary>
/// The worker's compute step per person: <see cref="JourneyAttributor"/> over 10,000 journeys of 1–10
/// touches and one conversion, all seven heuristics, lookback 30 days. Reported per person
/// (OperationsPerInvoke); it shows how much of a worker run is the models versus the store's I/O
/// (bench/RESULTS.md "Attribution worker"). Allocations are the per-person results the worker writes.
/// </summary>
[MemoryDiagnoser]
public class JourneyAttributionBenchmarks
{
    private const int People = 10_000;

    private (Touchpoint[] Touches, JourneyConversion[] Conversions)[] _journeys = [];
    private JourneyAttributor _attributor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var paths = AttributionData.ConversionPaths(People, channels: 12, seed: 7);
        _journeys = new (Touchpoint[], JourneyConversion[])[People];
        for (var i = 0; i < People; i++)
        {
            var path = paths[i];
            _journeys[i] = (path.Touchpoints.ToArray(), [new JourneyConversion($"o{i}", path.ConversionTimestampMs, path.Value)]);
        }

        IReadOnlyList<(string, HeuristicModel)> models =
        [
            ("first", HeuristicModel.FirstTouch), ("last", HeuristicModel.LastTouch), ("last_non_direct", HeuristicModel.LastNonDirect),
            ("linear", HeuristicModel.Linear), ("time_decay", HeuristicModel.TimeDecay), ("position", HeuristicModel.PositionBased),
            ("w_shaped", HeuristicModel.WShaped),
        ];
        _attributor = new JourneyAttributor(new AttributionOptions { Lookback = TimeSpan.FromDays(30) }, models);
    }

    [Benchmark(OperationsPerInvoke = People)]
    public int AttributePerson()
    {
        var credited = 0;
        foreach (var (touches, conversions) in _journeys)
        {
            credited += _attributor.Attribute(touches, conversions, null).Conversions[0].Credits.Count;
        }

        return credited;
    }
}
