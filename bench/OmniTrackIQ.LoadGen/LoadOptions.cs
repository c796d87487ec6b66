using System.Globalization;

namespace OmniTrackIQ.LoadGen;

/// <summary>Command-line options; parsed by hand to keep the tool dependency-free.</summary>
internal sealed record LoadOptions(Uri Url, string WriteKey, TimeSpan Duration, TimeSpan Warmup, int Connections, int Batch, bool Gzip = false)
{
    public const string Usage =
        "usage: --url http://127.0.0.1:8080 --write-key wk_... [--duration 10s] [--warmup 0s] [--connections 64] [--batch 20] [--gzip true]";

    public static LoadOptions? Parse(string[] args, TextWriter error)
    {
        string? url = null;
        string? key = null;
        var duration = TimeSpan.FromSeconds(10);
        var warmup = TimeSpan.Zero;
        var connections = 64;
        var batch = 20;
        var gzip = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error.WriteLine($"missing value for {name}");
                return null;
            }
            var value = args[++i];
            switch (name)
            {
                case "--url": url = value; break;
                case "--write-key": key = value; break;
                case "--duration": duration = ParseSpan(value); break;
                case "--warmup": warmup = ParseSpan(value); break;
                case "--connections": connections = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--gzip": gzip = bool.Parse(value); break;
                default:
                    error.WriteLine($"unknown option {name}");
                    return null;
            }
        }
        if (url is null || key is null || connections < 1 || batch < 1 || batch > 99 || duration <= TimeSpan.Zero)
        {
            error.WriteLine("--url and --write-key are required; connections >= 1; 1 <= batch <= 99; duration > 0");
            return null;
        }
        return new LoadOptions(new Uri(url.TrimEnd('/') + "/v1/batch"), key, duration, warmup, connections, batch, gzip);
    }

    // Accepts "10s", "500ms", "2m" or a bare number of seconds.
    private static TimeSpan ParseSpan(string value)
    {
        if (value.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(double.Parse(value.AsSpan(0, value.Length - 2), CultureInfo.InvariantCulture));
        }
        if (value.EndsWith('s'))
        {
            return TimeSpan.FromSeconds(double.Parse(value.AsSpan(0, value.Length - 1), CultureInfo.InvariantCulture));
        }
        if (value.EndsWith('m'))
        {
            return TimeSpan.FromMinutes(double.Parse(value.AsSpan(0, value.Length - 1), CultureInfo.InvariantCulture));
        }
        return TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
    }
}
