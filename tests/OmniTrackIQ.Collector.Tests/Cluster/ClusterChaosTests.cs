using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// The multi-node deployment under a steady load, with real processes: two collectors (ingest nodes, each with its
/// own spool) behind haproxy (deploy/haproxy/haproxy.cfg, health-checked on /readyz/ingest), writing to the 2-shard,
/// 2-replica ClickHouse cluster. Clients retry a batch on any error or timeout, with the same message ids, as
/// Segment's clients do. One part is disrupted in each test; afterwards every event that got a 2xx is in ClickHouse
/// exactly once, and clients saw no 5xx except while the node they were talking to was being killed.
/// </summary>
[Collection(ClusterChaosCollection.Name)]
public sealed class ClusterChaosTests : IAsyncLifetime
{
    private const string WriteKey = "wk_crash";
    private const string ReadToken = "rt_crash";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "otq-chaos-" + Guid.NewGuid().ToString("N"));
    private ClusterServers? _cluster;

    [SkippableFact]
    public async Task Kill_dash_nine_of_one_ingest_node_loses_nothing_and_its_spool_drains_when_it_is_back()
    {
        var cluster = _cluster = await ClusterServers.RequireAsync();
        var (portA, portB) = (CollectorProcess.FreePort(), CollectorProcess.FreePort());
        var nodeA = await StartIngestAsync(cluster, "a", portA, clickHouseNode: 0);
        using var nodeB = await StartIngestAsync(cluster, "b", portB, clickHouseNode: 1);
        using var balancer = await LoadBalancer.StartAsync(portA, portB);
        await cluster.WaitForSchemaAsync();
        var load = new SteadyLoad(balancer.Client, WriteKey);

        await load.UntilAckedAsync(2_000);
        load.Disrupted = true; // a request in flight at the killed node may end in a 5xx: the window the issue allows
        nodeA.Crash();
        nodeA.Dispose();
        await balancer.UntilUpServersAsync(1); // haproxy's health check has taken node a out
        load.Disrupted = false;
        await load.UntilAckedAsync(load.Acked + 1_500); // node b alone
        using var restarted = await StartIngestAsync(cluster, "a", portA, clickHouseNode: 0); // same spool, same port
        await load.UntilAckedAsync(load.Acked + 1_500);
        var acked = await load.StopAsync();

        Assert.Empty(load.ServerErrors);
        await AssertExactlyOnceAsync(cluster, acked);
        await balancer.UntilUpServersAsync(2); // the restarted node is taken back
    }

    [SkippableFact]
    public async Task ZooKeeper_stopped_under_load_costs_no_5xx_and_the_spools_drain_once_it_is_back()
    {
        var cluster = _cluster = await ClusterServers.RequireAsync();
        var (portA, portB) = (CollectorProcess.FreePort(), CollectorProcess.FreePort());
        using var nodeA = await StartIngestAsync(cluster, "a", portA, clickHouseNode: 0);
        using var nodeB = await StartIngestAsync(cluster, "b", portB, clickHouseNode: 2);
        using var balancer = await LoadBalancer.StartAsync(portA, portB);
        await cluster.WaitForSchemaAsync(); // schema steps ON CLUSTER go through ZooKeeper: the outage is the data path's
        var load = new SteadyLoad(balancer.Client, WriteKey);

        await load.UntilAckedAsync(2_000);
        await cluster.StopZooKeeperAsync(); // replicated inserts fail from now on: the spools take the load
        try
        {
            await load.UntilAckedAsync(load.Acked + 3_000);
        }
        finally
        {
            await cluster.StartZooKeeperAsync();
        }

        await load.UntilAckedAsync(load.Acked + 2_000);
        var acked = await load.StopAsync();

        Assert.Empty(load.ServerErrors);
        await AssertExactlyOnceAsync(cluster, acked);
    }

    /// <summary>
    /// A real stop and start of a replica (SIGTERM, then the server again on its data), on a cluster of the test's own: on
    /// 18.16 a replica restart once left the suite cluster's distributed-DDL queue stuck for every test after it. Node a
    /// writes through the stopped replica, so its store is away meanwhile: its spool takes the events and the balancer
    /// keeps it in (its /readyz/ingest stays 200 while /readyz is 503), and it drains when the replica is back.
    /// </summary>
    [SkippableFact]
    public async Task One_ClickHouse_replica_stopped_under_load_costs_no_5xx_and_catches_up_when_it_is_back()
    {
        const int Replica = 1; // shard 1's second replica ('crash' is on shard 1): node b's inserts go to its first meanwhile
        var cluster = _cluster = await ClusterServers.StartOwnAsync();
        var (portA, portB) = (CollectorProcess.FreePort(), CollectorProcess.FreePort());
        using var nodeA = await StartIngestAsync(cluster, "a", portA, clickHouseNode: Replica);
        using var nodeB = await StartIngestAsync(cluster, "b", portB, clickHouseNode: 2);
        using var balancer = await LoadBalancer.StartAsync(portA, portB);
        await cluster.WaitForSchemaAsync();
        var load = new SteadyLoad(balancer.Client, WriteKey);

        await load.UntilAckedAsync(2_000);
        await cluster.StopNodeAsync(Replica);
        string[] direct;
        try
        {
            await load.UntilAckedAsync(load.Acked + 3_000);
            direct = await AssertIngestOnlyReadyAsync(nodeA);
        }
        finally
        {
            await cluster.StartNodeAsync(Replica);
        }

        await load.UntilAckedAsync(load.Acked + 2_000);
        var acked = await load.StopAsync();

        Assert.Empty(load.ServerErrors);
        await AssertExactlyOnceAsync(cluster, [.. acked, .. direct]);
        // The replica fetched what it missed from the replication log: it holds the events its twin holds.
        var local = $"SELECT uniqExact(message_id) FROM {cluster.Database}.events_local WHERE workspace = 'crash' FORMAT TabSeparated";
        var (twin, caughtUp) = ("", "-");
        await Poll.UntilAsync(async () =>
        {
            twin = (await cluster.QueryNodeAsync(0, local)).Trim();
            caughtUp = (await cluster.QueryNodeAsync(Replica, local)).Trim();
            return caughtUp == twin;
        }, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));

        // Every acknowledged event, plus at most the batch each of the four clients had in flight when the load stopped.
        Assert.InRange(long.Parse(twin, CultureInfo.InvariantCulture), acked.Count + direct.Length, acked.Count + direct.Length + 40);
        Assert.Equal(twin, caughtUp);
    }

    /// <summary>
    /// With its ClickHouse node stopped, a node is not ready as a whole (/readyz 503: the store is unreachable) but still
    /// takes events (/readyz/ingest 200, what the balancer checks) and answers a batch sent to it directly 200, into its
    /// spool. Returns that batch's ids, which must be stored once too.
    /// </summary>
    private static async Task<string[]> AssertIngestOnlyReadyAsync(CollectorProcess node)
    {
        // Bounded poll: the store's ping is asked per request, but a request in flight when the node stopped may still answer.
        var notReady = await Poll.UntilAsync(async () =>
        {
            using var ready = await node.Client.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
        Assert.True(notReady, "/readyz stayed 200 with the node's ClickHouse stopped");
        using (var ready = await node.Client.GetAsync("/readyz")) { Assert.StartsWith("store: unreachable\n", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal); }
        using (var ingestReady = await node.Client.GetAsync("/readyz/ingest"))
        {
            Assert.Equal(HttpStatusCode.OK, ingestReady.StatusCode);
            Assert.Equal("spool: ok\n", await ingestReady.Content.ReadAsStringAsync());
        }

        string[] ids = [.. Enumerable.Range(0, 5).Select(i => $"direct-{Guid.NewGuid():N}-{i}")];
        using var batch = await node.Client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey(WriteKey, [.. ids.Select(id => Payloads.Event(id))])));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        using var answer = System.Text.Json.JsonDocument.Parse(await batch.Content.ReadAsStringAsync());
        Assert.Equal(5, answer.RootElement.GetProperty("accepted").GetInt32());
        return ids;
    }

    [SkippableFact]
    public async Task Redis_stopped_under_load_costs_no_5xx_and_nothing_and_each_node_counts_its_fallback()
    {
        var cluster = _cluster = await ClusterServers.RequireAsync();
        var (portA, portB) = (CollectorProcess.FreePort(), CollectorProcess.FreePort());
        using var nodeA = await StartIngestAsync(cluster, "a", portA, clickHouseNode: 0, redis: true);
        using var nodeB = await StartIngestAsync(cluster, "b", portB, clickHouseNode: 2, redis: true);
        using var balancer = await LoadBalancer.StartAsync(portA, portB);
        await cluster.WaitForSchemaAsync();
        var load = new SteadyLoad(balancer.Client, WriteKey);

        await load.UntilAckedAsync(2_000);
        await SharedState.RedisServer.RunScriptAsync("stop.sh"); // rate limits, dedup and leases go in process
        try
        {
            await load.UntilAckedAsync(load.Acked + 3_000);
        }
        finally
        {
            await SharedState.RedisServer.RunScriptAsync("start.sh");
        }

        await load.UntilAckedAsync(load.Acked + 2_000);
        var acked = await load.StopAsync();

        Assert.Empty(load.ServerErrors);
        await AssertExactlyOnceAsync(cluster, acked);
        var metrics = await nodeA.Client.GetStringAsync("/metrics");
        // Every batch asks Redis for its message ids, so the outage is counted there. The rate limit is not asked while the
        // node's leased permits last (OmniTrack:Redis:RateLease: 50 ms of this workspace's 1,000,000 a second outlasts the load).
        Assert.Contains("otq_redis_fallbacks_total{use=\"message_ids\"}", metrics, StringComparison.Ordinal);
    }

    private Task<CollectorProcess> StartIngestAsync(ClusterServers cluster, string name, int port, int clickHouseNode, bool redis = false) =>
        CollectorProcess.StartAsync(Path.Combine(_root, name), WriteKey, ReadToken, port, extraArgs:
        [
            .. redis ? ["--OmniTrack:Redis:Configuration", SharedState.RedisServer.Address, "--OmniTrack:Workspaces:0:EventsPerSecond", "1000000"] : Array.Empty<string>(),
            "--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString", cluster.ConnectionString(clickHouseNode),
            "--OmniTrack:ClickHouse:Cluster", "otq",
            // Fail fast on a cut connection, so the test sees the retry path rather than a long timeout.
            "--OmniTrack:ClickHouse:RequestTimeout", "00:00:05", "--OmniTrack:Sink:MaxRetryDelay", "00:00:01",
            "--OmniTrack:Attribution:IntervalSeconds", "0",
            "--OmniTrack:Ingest:TrustedProxies:0", "127.0.0.1",
        ]);

    /// <summary>Waits (bounded: 2 min) until every acknowledged id is stored, then checks each is stored once.</summary>
    private static async Task AssertExactlyOnceAsync(ClusterServers cluster, IReadOnlyCollection<string> acked)
    {
        var sql = $"SELECT message_id, count() AS copies FROM {cluster.Database}.events FINAL WHERE workspace = 'crash' GROUP BY message_id FORMAT TabSeparated";
        Dictionary<string, int> stored = [];
        await Poll.UntilAsync(async () =>
        {
            stored = (await cluster.QueryAsync(sql)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t'))
                .ToDictionary(f => f[0], f => int.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
            return acked.All(stored.ContainsKey);
        }, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));

        var missing = acked.Where(id => !stored.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acked.Count} acknowledged events missing, e.g. {string.Join(",", missing.Take(5))}");
        var doubled = stored.Where(s => s.Value > 1).Select(s => s.Key).ToList();
        Assert.True(doubled.Count == 0, $"{doubled.Count} events stored more than once after FINAL, e.g. {string.Join(",", doubled.Take(5))}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null) { await _cluster.DisposeAsync(); }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Four clients sending batches of ten events through the balancer. A batch is sent again, with the same ids, until it
/// is answered 200 (any other answer, a reset or a timeout is retried after 20 ms), as Segment's clients retry.
/// A 5xx while <see cref="Disrupted"/> is false is kept in <see cref="ServerErrors"/>.
/// </summary>
internal sealed class SteadyLoad
{
    private readonly ConcurrentBag<string> _acked = [];
    /// <summary>In every id: Redis keeps the ids nodes made durable for a day, and would skip a rerun's same ids.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;

    public SteadyLoad(HttpClient client, string writeKey)
    {
        _clients = [.. Enumerable.Range(0, 4).Select(c => Task.Run(() => SendAsync(client, writeKey, c)))];
    }

    public volatile bool Disrupted;

    public int Acked => _acked.Count;

    public ConcurrentBag<string> ServerErrors { get; } = [];

    /// <summary>Waits until <paramref name="count"/> events are acknowledged (bounded: 3 min, then the test fails).</summary>
    public async Task UntilAckedAsync(int count)
    {
        var reached = await Poll.UntilAsync(() => _acked.Count >= count, TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(20));
        Assert.True(reached, $"only {_acked.Count} of {count} events acknowledged; 5xx seen: {string.Join(",", ServerErrors.Take(5))}");
    }

    public async Task<IReadOnlyCollection<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return [.. _acked];
    }

    private async Task SendAsync(HttpClient client, string writeKey, int clientId)
    {
        for (var batch = 0; !_stop.IsCancellationRequested; batch++)
        {
            var ids = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"{_run}-c{clientId}-b{batch}-e{i}")).ToArray();
            var body = Payloads.BatchWithKey(writeKey, [.. ids.Select(id => Payloads.Event(id))]);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsync("/v1/batch", Payloads.Json(body), _stop.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var id in ids) { _acked.Add(id); }
                        break;
                    }

                    if ((int)response.StatusCode >= 500 && !Disrupted) { ServerErrors.Add($"{(int)response.StatusCode} after {_acked.Count} acknowledged: {await response.Content.ReadAsStringAsync()}"); }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
                {
                    // a reset or a timeout: retried below, unless the load is over
                }

                if (_stop.IsCancellationRequested) { return; }
                await Task.Delay(20, CancellationToken.None); // the client's pause between sends and retries (load pacing, not a wait)
            }
        }
    }
}
