using System.Diagnostics;
using System.Net;

namespace OmniTrackIQ.LoadGen;

/// <summary>N closed-loop senders sharing one connection pool; each awaits its response before sending again.</summary>
internal static class LoadRunner
{
    // A handful of real desktop/mobile browsers so the collector's UA parser sees a realistic cache mix.
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    ];

    public static async Task<LoadResult> RunAsync(LoadOptions options)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var runId = Guid.NewGuid().ToString("N")[..8];

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task<LoopStats>[options.Connections];
        for (var c = 0; c < loops.Length; c++)
        {
            var body = new BatchBody(runId, c, options.Batch, options.WriteKey);
            var userAgent = UserAgents[c % UserAgents.Length];
            loops[c] = Task.Run(() => LoopAsync(client, options.Url, body, userAgent, measureFrom, stopAt, options.Gzip));
        }
        var all = await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(measureFrom);
        return LoadResult.Merge(all, elapsed, runId);
    }

    /// <summary>The body as RudderStack's SDK sends it: gzip, Content-Encoding set (compression cost is the client's).</summary>
    private static ByteArrayContent Gzipped(byte[] json)
    {
        var compressed = new MemoryStream(json.Length / 4);
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) { gzip.Write(json); }
        var content = new ByteArrayContent(compressed.GetBuffer(), 0, (int)compressed.Length);
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private static async Task<LoopStats> LoopAsync(
        HttpClient client, Uri url, BatchBody body, string userAgent, long measureFrom, long stopAt, bool gzip)
    {
        var stats = new LoopStats();
        long sequence = 0;
        while (true)
        {
            var began = Stopwatch.GetTimestamp();
            if (began >= stopAt)
            {
                return stats;
            }
            body.Prepare(sequence++, DateTime.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = gzip ? Gzipped(body.Buffer) : new ByteArrayContent(body.Buffer) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            var status = 0;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Counted as a transport error (status 0) below; keep sending so one reset does not end the run.
            }
            catch (TaskCanceledException)
            {
                // HttpClient.Timeout elapsed; also a transport error.
            }
            if (began < measureFrom)
            {
                continue; // warm-up request: exercised the path, not measured
            }
            stats.Latency.Record((long)(Stopwatch.GetElapsedTime(began).TotalMilliseconds * 1000));
            stats.Count(status, body.EventCount);
        }
    }
}

/// <summary>Per-loop counters; owned by one loop, so plain fields suffice.</summary>
internal sealed class LoopStats
{
    public LatencyHistogram Latency { get; } = new();

    public long[] Statuses { get; } = new long[600]; // index 0 = transport error

    public long AcceptedEvents { get; private set; }

    public void Count(int status, int events)
    {
        Statuses[status is > 0 and < 600 ? status : 0]++;
        if (status is >= 200 and < 300)
        {
            AcceptedEvents += events;
        }
    }
}
