using OmniTrackIQ.Attribution.Paths;

namespace OmniTrackIQ.Benchmarks.Attribution;

/// <summary>Seeded synthetic paths so every run measures the same input.</summary>
internal static class AttributionData
{
    private const long Day = 86_400_000;

    /// <summary>Per-conversion paths of 1–10 touches (mean ~5.5) over <paramref name="channels"/> channels, some direct, some paid.</summary>
    public static ConversionPath[] ConversionPaths(int count, int channels, int seed)
    {
        var random = new Random(seed);
        var names = ChannelNames(channels);
        var paths = new ConversionPath[count];
        for (var p = 0; p < count; p++)
        {
            var length = 1 + random.Next(10);
            var conversion = 1_800_000_000_000L + (random.Next(1000) * Day);
            var touches = new Touchpoint[length];
            var ts = conversion - (random.Next(1, 60) * Day);
            for (var i = 0; i < length; i++)
            {
                var channel = random.Next(channels);
                var flags = channel == 0 ? TouchFlags.Direct : channel % 3 == 1 ? TouchFlags.Paid : TouchFlags.None;
                if (i == length / 2)
                {
                    flags |= TouchFlags.LeadCreation;
                }

                touches[i] = new Touchpoint(names[channel], ts, flags);
                ts += random.NextInt64(0, ((conversion - ts) / (length - i + 1)) + 1);
            }

            paths[p] = new ConversionPath(touches, conversion, 1, 10 + random.Next(200));
        }

        return paths;
    }

    /// <summary>Distinct aggregated paths (ChannelAttribution's shape) of 1–12 channels.</summary>
    public static PathCount[] DistinctPaths(int count, int channels, int seed)
    {
        var random = new Random(seed);
        var names = ChannelNames(channels);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<PathCount>(count);
        var buffer = new List<string>();
        while (paths.Count < count)
        {
            buffer.Clear();
            var length = 1 + random.Next(12);
            for (var i = 0; i < length; i++)
            {
                buffer.Add(names[random.Next(channels)]);
            }

            if (seen.Add(string.Join('>', buffer)))
            {
                var conversions = random.Next(3);
                paths.Add(new PathCount(buffer.ToArray(), conversions, conversions * (10 + random.Next(200)), random.Next(1, 8)));
            }
        }

        return [.. paths];
    }

    private static string[] ChannelNames(int channels)
    {
        var names = new string[channels];
        for (var i = 0; i < channels; i++)
        {
            names[i] = i == 0 ? "direct" : "channel_" + i;
        }

        return names;
    }
}
