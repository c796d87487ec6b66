using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// DESIGN "Guarantees" 1 and 2 on ClickHouse, against the real server: the store away at start, the store away under
/// load (a gate in front of the server resets every connection and refuses new ones, as a stopped server does), a
/// clickhouse-server of the test's own really stopped and started again on its data under load, and kill -9 of the
/// collector under load. In each, every event answered 2xx ends in ClickHouse exactly once.
/// </summary>
public sealed class ClickHouseFaultTests : IAsyncLifetime
{
    private const string WriteKey = "wk_crash";
    private const string ReadToken = "rt_crash";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "otq-chfault-" + Guid.NewGuid().ToString("N"));
    private ClickHouseTestServer? _server;

    [SkippableFact]
    public async Task Started_while_ClickHouse_is_down_the_collector_is_not_ready_but_accepts_and_drains_once_it_is_up()
    {
        var server = await ServerAsync();
        using var gate = new TcpGate(server.Url.Port); // closed: nothing listens
        using var collector = await StartAsync(server.ConnectionString(gate.Port));

        using (var ready = await collector.Client.GetAsync("/readyz")) { Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode); }
        var acked = new List<string>();
        for (var batch = 0; batch < 5; batch++)
        {
            var ids = Enumerable.Range(0, 20).Select(i => $"down-b{batch}-e{i}").ToArray();
            using var response = await collector.Client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, ids.Select(id => Payloads.Event(id)).ToArray())));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acked.AddRange(ids);
        }

        gate.Open();
        await WaitForStoredAsync(server, acked);
        using (var ready = await collector.Client.GetAsync("/readyz")) { Assert.Equal(HttpStatusCode.OK, ready.StatusCode); }
        await collector.StopAsync();
        await AssertExactlyOnceAsync(server, acked);
    }

    [SkippableFact]
    public async Task ClickHouse_going_away_under_load_costs_no_5xx_and_no_acknowledged_event()
    {
        var server = await ServerAsync();
        using var gate = new TcpGate(server.Url.Port);
        gate.Open();
        using var collector = await StartAsync(server.ConnectionString(gate.Port));
        await LoadThroughOutageAsync(collector, server, takeDown: () => { gate.Close(); return Task.CompletedTask; }, bringBack: () => { gate.Open(); return Task.CompletedTask; });
    }

    [SkippableFact]
    public async Task ClickHouse_server_stopped_and_started_again_under_load_costs_no_5xx_and_no_acknowledged_event()
    {
        await using var clickHouse = new PrivateClickHouse();
        await clickHouse.StartAsync();
        var server = _server = ClickHouseTestServer.At(new Uri($"http://127.0.0.1:{clickHouse.HttpPort}"));
        using var collector = await StartAsync(server.ConnectionString());
        await LoadThroughOutageAsync(collector, server, clickHouse.StopAsync, clickHouse.StartAsync); // restarted on the same data directory
    }

    [SkippableFact]
    public async Task Every_acknowledged_event_is_in_ClickHouse_exactly_once_after_kill_dash_nine_and_a_restart()
    {
        var server = await ServerAsync();
        var acked = new ConcurrentBag<string>();
        using (var first = await StartAsync(server.ConnectionString()))
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(c => SendUntilStoppedAsync(first.Client, c, acked, null, stop.Token)).ToArray();
            await Poll.UntilAsync(() => acked.Count >= 3_000, LoadWait, LoadInterval);
            first.Crash();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        using var second = await StartAsync(server.ConnectionString());
        var ackedIds = acked.ToArray();
        await WaitForStoredAsync(server, ackedIds);
        await second.StopAsync();
        await AssertExactlyOnceAsync(server, ackedIds);
    }

    /// <summary>
    /// Four clients load the collector; after 2,000 acknowledged events the store is taken down, 3,000 more are sent
    /// into the spool (the collector is not ready meanwhile), the store is brought back and 2,000 more follow. No
    /// client sees anything but 200, and every acknowledged event ends in the store exactly once.
    /// </summary>
    private static async Task LoadThroughOutageAsync(CollectorProcess collector, ClickHouseTestServer server, Func<Task> takeDown, Func<Task> bringBack)
    {
        var acked = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<int>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(c => SendUntilStoppedAsync(collector.Client, c, acked, failures, stop.Token)).ToArray();

        await Poll.UntilAsync(() => acked.Count >= 2_000, LoadWait, LoadInterval);
        await takeDown();
        var downAt = acked.Count;
        await Poll.UntilAsync(() => acked.Count >= downAt + 3_000, LoadWait, LoadInterval);
        using (var ready = await collector.Client.GetAsync("/readyz")) { Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode); }
        await bringBack();
        await Poll.UntilAsync(() => acked.Count >= downAt + 5_000, LoadWait, LoadInterval);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        var ackedIds = acked.ToArray();
        await WaitForStoredAsync(server, ackedIds);
        // Stopped first: a request the clients gave up on at the end may still be on its way to the store, and the two
        // reads below must see the same rows.
        await collector.StopAsync();
        await AssertExactlyOnceAsync(server, ackedIds);
    }

    private async Task<ClickHouseTestServer> ServerAsync() => _server = await ClickHouseTestServer.RequireAsync();

    private Task<CollectorProcess> StartAsync(string connectionString) =>
        CollectorProcess.StartAsync(_data, WriteKey, ReadToken, extraArgs:
        [
            "--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString", connectionString,
            // Fail fast on a cut connection, so the test sees the retry path rather than a long timeout.
            "--OmniTrack:ClickHouse:RequestTimeout", "00:00:05", "--OmniTrack:Sink:MaxRetryDelay", "00:00:01",
            "--OmniTrack:Attribution:IntervalSeconds", "0",
        ]);

    private static async Task SendUntilStoppedAsync(HttpClient client, int clientId, ConcurrentBag<string> acked, ConcurrentBag<int>? failures, CancellationToken stop)
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var ids = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"c{clientId}-b{batch}-e{i}")).ToArray();
            try
            {
                using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, ids.Select(id => Payloads.Event(id)).ToArray())), stop);
                if (response.StatusCode == HttpStatusCode.OK) { foreach (var id in ids) { acked.Add(id); } }
                else { failures?.Add((int)response.StatusCode); }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested) { return; }
                await Task.Delay(10, CancellationToken.None); // paces the load: a client whose request failed tries again shortly, as a real one does
            }
        }
    }

    /// <summary>
    /// Waits (bounded) until every acknowledged id is in the store. Counting rows is not enough: a request the client
    /// gave up on at the end of the load (its answer never read) may still have been stored, so the count can reach the
    /// number of acknowledged events while some acknowledged ones are still on their way through the sink.
    /// </summary>
    private static Task WaitForStoredAsync(ClickHouseTestServer server, IReadOnlyCollection<string> acked) => Poll.UntilAsync(async () =>
    {
        try
        {
            var stored = (await server.StoredIdsAsync("crash")).ToHashSet(StringComparer.Ordinal);
            return acked.All(stored.Contains);
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false; // the database or table is not made yet
        }
    }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

    /// <summary>How long the load may take to reach a count of acknowledged events (generous: a loaded machine), looked at every 20 ms.</summary>
    private static readonly TimeSpan LoadWait = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LoadInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Every acknowledged id is stored and read once. A raw copy may exist where an insert reached the server while
    /// its connection was cut (the retry's existence check ran before the first insert committed); it is an identical
    /// row, which ReplacingMergeTree collapses (FINAL shows the merged state) and every read of the store counts once.
    /// </summary>
    private static async Task AssertExactlyOnceAsync(ClickHouseTestServer server, IReadOnlyCollection<string> acked)
    {
        var merged = (await server.QueryAsync($"SELECT message_id FROM {server.Database}.events FINAL WHERE workspace = 'crash' FORMAT TabSeparated"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var distinct = merged.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(merged.Length, distinct.Count);
        var missing = acked.Where(id => !distinct.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged events missing, e.g. {string.Join(",", missing.Take(5))}");
        var raw = await server.StoredIdsAsync("crash");
        Assert.Equal(distinct, raw.ToHashSet(StringComparer.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null) { await _server.DisposeAsync(); }
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
