using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// One ClickHouse database shared by separate collector processes, as a deployment runs them: two ingest nodes
/// (each with its own spool) whose clocks differ, one attribution worker, one API node.
/// </summary>
public sealed partial class ClickHouseNodesTests
{
    private const string Page = """{"type":"page","messageId":"n-page","anonymousId":"anon-n","timestamp":"2026-11-23T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand"}}}""";
    private const string Order = """{"type":"conversion","messageId":"n-order","anonymousId":"anon-n","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"n-1","revenue":50,"currency":"EUR"}}""";

    [SkippableFact]
    public async Task An_order_loaded_by_a_node_whose_clock_is_behind_the_workers_mark_is_still_attributed()
    {
        await using var server = await ClickHouseTestServer.RequireAsync();
        await using var ingestA = Node(server, "ingest");
        // Node B's clock runs two minutes behind: the rows it loads are stamped below marks the worker already took.
        await using var ingestB = Node(server, "ingest", clockBehind: TimeSpan.FromMinutes(2));
        await using var worker = Node(server, "attribute", f => f.Settings["OmniTrack:Attribution:IntervalSeconds"] = "1");
        await using var api = Node(server, "api");
        using var a = Browser(ingestA);
        using var b = Browser(ingestB);
        using var workerClient = worker.CreateClient();
        using var apiClient = api.CreateClient();

        using (var sent = await a.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Page)))) { Assert.Equal(HttpStatusCode.OK, sent.StatusCode); }
        Assert.Equal(1, await CollectorClient.WaitForStoredAsync(apiClient, 1));
        // Two more ticks over both workspaces: at least one whole tick began after node A's row was stored, so the
        // worker's mark is past it.
        await WaitForRunsAsync(workerClient, await RunsAsync(workerClient) + 4);

        using (var sent = await b.PostAsync("/v1/batch", Payloads.Json(Payloads.Batch(Order)))) { Assert.Equal(HttpStatusCode.OK, sent.StatusCode); }
        Assert.Equal(2, await CollectorClient.WaitForStoredAsync(apiClient, 2));

        var revenue = await Poll.UntilAsync(async () => (await CollectorClient.GetJsonAsync(apiClient, "/v1/attribution/summary?model=last")).GetProperty("rows")
            .EnumerateArray().Where(r => r.GetProperty("key").GetString() == "Paid Search").Sum(r => r.GetProperty("revenue").GetDouble()),
            found => found != 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal(50, revenue, 6);
    }

    private static CollectorFactory Node(ClickHouseTestServer server, string role, Action<CollectorFactory>? configure = null, TimeSpan clockBehind = default)
    {
        var factory = new CollectorFactory();
        factory.Settings["role"] = role;
        factory.Settings["OmniTrack:Store"] = "ClickHouse";
        factory.Settings["OmniTrack:ClickHouse:ConnectionString"] = server.ConnectionString();
        factory.Settings["OmniTrack:Attribution:IntervalSeconds"] = "0";
        factory.Settings["OmniTrack:Clock:StartAt"] = TestClock.Now.Subtract(clockBehind).ToString("O", CultureInfo.InvariantCulture);
        configure?.Invoke(factory);
        return factory;
    }

    private static HttpClient Browser(CollectorFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Ingest.SegmentRequests.BrowserUserAgent);
        return client;
    }

    /// <summary>Waits (bounded) until the worker's /metrics counts <paramref name="runs"/> finished runs (one per workspace and tick).</summary>
    private static async Task WaitForRunsAsync(HttpClient worker, long runs) =>
        Assert.True(await Poll.UntilAsync(async () => await RunsAsync(worker) >= runs, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)),
            $"the worker did not finish {runs} runs");

    private static async Task<long> RunsAsync(HttpClient worker)
    {
        var match = RunsTotal().Match(await worker.GetStringAsync("/metrics"));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"(?m)^otq_attribution_runs_total(?:\{\})? (\d+)$")]
    private static partial Regex RunsTotal();
}
