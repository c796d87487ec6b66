using System.Diagnostics;
using System.Text.Json;

namespace OmniTrackIQ.Collector.Tests.Demo;

/// <summary>
/// <c>collector demo</c> as a user runs it: the real process, Kestrel on a free port, a temp data directory and a
/// pinned clock; it seeds, prints the report URL with the read token from demo-shop.json, and a second run prints the
/// same stored counts.
/// </summary>
public sealed class DemoVerbTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "otq-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Demo_verb_seeds_prints_the_report_url_and_a_second_run_stores_nothing_new()
    {
        var first = await RunDemoAsync();
        Assert.True(first.ExitCode == 0, first.Output);
        using (var keys = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_dataDirectory, "demo-shop.json"))))
        {
            var token = keys.RootElement.GetProperty("readToken").GetString();
            Assert.Matches(@"Open the report: http://127\.0\.0\.1:\d+/report#token=" + token + "&from=2026-09-25&to=2026-11-23", first.Output);
        }

        Assert.Contains("100.0% 158/158 requests", first.Output, StringComparison.Ordinal);
        Assert.Contains("3000 visitors over 60 days (2026-09-25 to 2026-11-23), 10317 stored events,", first.Output, StringComparison.Ordinal);
        Assert.Contains("295 orders (snippet 110, S2S 80, Shopify 105), 21 refunds,", first.Output, StringComparison.Ordinal);
        Assert.Contains("spend rows google 120, meta 120, tiktok 120; 295 conversions attributed.", first.Output, StringComparison.Ordinal);

        var second = await RunDemoAsync();
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("10317 stored events,", second.Output, StringComparison.Ordinal);
        Assert.Contains("295 conversions attributed.", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_demo_a_plain_start_serves_the_demo_shop_and_prints_its_report_url()
    {
        var seeded = await RunDemoAsync();
        Assert.True(seeded.ExitCode == 0, seeded.Output);

        // The collector as the README's quick start runs it, without the verb: it must serve the shop the demo left.
        var info = CollectorStart();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the collector");
        var errors = process.StandardError.ReadToEndAsync(); // drained, so a chatty stderr never blocks the process
        try
        {
            string? line;
            var seen = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("Serving the demo shop", StringComparison.Ordinal))
            {
                seen.Add(line);
            }

            Assert.True(line is not null, "no demo shop notice: " + string.Join('\n', seen));
            var url = System.Text.RegularExpressions.Regex.Match(line, @"Open the report: (http://127\.0\.0\.1:\d+)/report#token=(rt_[0-9a-f]+)&from=2026-09-25&to=2026-11-23$");
            Assert.True(url.Success, line);
            using var client = new HttpClient { BaseAddress = new Uri(url.Groups[1].Value) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/attribution/summary?model=linear&groupBy=channel");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", url.Groups[2].Value);
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            Assert.True(response.IsSuccessStatusCode, body);
            using var summary = JsonDocument.Parse(body);
            // What the demo attributed is there: 295 conversions over the channels.
            Assert.Equal(295, summary.RootElement.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("conversions").GetDouble()), 6);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await errors;
        }
    }

    [Fact]
    public async Task Demo_verb_on_a_node_without_the_ingest_routes_says_so_and_exits_1()
    {
        var run = await RunDemoAsync("--role", "api");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("demo: POST /v1/batch answered 404", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Open the report", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The collector process on this test's data directory and pinned clock, with <paramref name="args"/> first (a verb).</summary>
    private ProcessStartInfo CollectorStart(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OmniTrackIQ.Collector.dll"));
        foreach (var arg in args) { info.ArgumentList.Add(arg); }
        foreach (var arg in new[]
                 {
                     "--urls", "http://127.0.0.1:0", "--OmniTrack:DataDirectory", _dataDirectory, "--OmniTrack:Clock:StartAt", "2026-11-23T12:00:00Z",
                     "--OmniTrack:Sink:MaxBatchAge", "00:00:00.050", "--OmniTrack:Attribution:IntervalSeconds", "0",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs the verb to its end (bounded: 3 minutes; it takes seconds).</summary>
    private async Task<(int ExitCode, string Output)> RunDemoAsync(params string[] extraArgs)
    {
        var info = CollectorStart(["demo", "--OmniTrack:Demo:Exit", "true", .. extraArgs]);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the collector");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await errors);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
