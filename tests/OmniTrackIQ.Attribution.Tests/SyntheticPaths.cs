using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>Seeded random paths over a few channels (the benchmarks have their own generator).</summary>
internal static class SyntheticPaths
{
    public static List<PathCount> Generate(int seed, int distinctPaths, int channels)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>();
        var paths = new List<PathCount>();
        while (paths.Count < distinctPaths)
        {
            var length = 1 + random.Next(8);
            var names = new string[length];
            for (var i = 0; i < length; i++)
            {
                names[i] = "ch" + random.Next(channels);
            }

            if (!seen.Add(string.Join('>', names)))
            {
                continue;
            }

            var conversions = random.Next(4);
            paths.Add(new PathCount(names, conversions, conversions * (5 + (random.NextDouble() * 100)), random.Next(6)));
        }

        return paths;
    }
}
