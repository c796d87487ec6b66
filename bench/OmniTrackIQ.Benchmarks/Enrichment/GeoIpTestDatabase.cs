namespace OmniTrackIQ.Benchmarks.Enrichment;

/// <summary>Finds the repo's copy of MaxMind's test databases (tests/data/geoip) from wherever BenchmarkDotNet runs us.</summary>
internal static class GeoIpTestDatabase
{
    public static string Path(string fileName)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "tests", "data", "geoip", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"tests/data/geoip/{fileName} not found above {AppContext.BaseDirectory}");
    }
}
