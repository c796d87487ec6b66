using System.Globalization;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Reads one series' value from a collector's <c>/metrics</c> (the test client is this machine, so it may scrape).</summary>
internal static class MetricsScrape
{
    /// <summary>The value of <paramref name="series"/> (name and labels as exposed, e.g. <c>otq_x{reason="y"}</c>), 0 when absent.</summary>
    public static async Task<long> ValueAsync(HttpClient client, string series)
    {
        foreach (var line in (await client.GetStringAsync("/metrics")).Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(series.Length + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
