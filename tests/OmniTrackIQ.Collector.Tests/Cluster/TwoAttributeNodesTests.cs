using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Tests.SharedState;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Collector.Tests.Cluster;

/// <summary>
/// Issue 17: two <c>--role attribute</c> nodes on the cluster, sharing Redis, while an ingest node keeps loading new
/// people into four workspaces. The Redis lease lets one run per workspace at a time: laid side by side, the runs both
/// nodes logged (their held-from / held-to monotonic ticks, one clock for the machine) never overlap for a workspace,
/// both nodes did work, and a node that found a workspace leased went on to the next. The results they left are those a
/// single node's full recompute writes, Markov and Shapley to the digit: the nodes read different replicas (node 1 is
/// shard 1's second, node 3 shard 2's), and a run that finds its replica behind the other's recomputes (ReplicaLag).
/// </summary>
[Collection(ClusterChaosCollection.Name)]
public sealed partial class TwoAttributeNodesTests : IAsyncLifetime
{
    private static readonly string[] s_workspaces = ["w0", "w1", "w2", "w3"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "otq-attribute-" + Guid.NewGuid().ToString("N"));
    private ClusterServers? _cluster;

    [SkippableFact]
    public async Task Two_attribute_nodes_run_each_workspace_one_at_a_time_share_the_workspaces_and_match_a_single_node_recompute()
    {
        var cluster = _cluster = await ClusterServers.RequireAsync();
        await using var redis = await RedisServer.ConnectAsync(new FakeTimeProvider()); // skips, or fails with CI=true, without Redis
        using var ingest = await StartAsync(cluster, "ingest", "ingest", clickHouseNode: 0);
        await cluster.WaitForSchemaAsync();
        using var nodeA = await StartAsync(cluster, "attribute-a", "attribute", clickHouseNode: 1);
        using var nodeB = await StartAsync(cluster, "attribute-b", "attribute", clickHouseNode: 3);

        // A browser's: page views without one count as a bot's, and a bot's views are no touches.
        ingest.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        using var stop = new CancellationTokenSource();
        var senders = s_workspaces.Select(w => Task.Run(() => SendPeopleAsync(ingest.Client, w, stop.Token))).ToArray();

        // Contention made certain rather than left to how the nodes' ticks happen to fall: another holder (the test) takes
        // w0's lease. Each node must then find it leased, go on to the next workspace, and not run w0 until it is released.
        var leaseKey = (StackExchange.Redis.RedisKey)("otq:lease:attribution:" + HeldByTest);
        var taken = await Poll.UntilAsync(async () => (await redis.TryRunAsync("test", db => db.StringSetAsync(leaseKey, "the test", TimeSpan.FromMinutes(2), StackExchange.Redis.When.NotExists))) is (true, true),
            TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50));
        Assert.True(taken, "the test could not take w0's lease within a minute");
        var heldFrom = TimeProvider.System.GetTimestamp(); // after the take: a node's run before it ended before the take succeeded
        var (fromA, fromB) = (nodeA.Output.Length, nodeB.Output.Length); // what each node logs from now on
        var bothWentOn = await Poll.UntilAsync(() => WentOnFromHeld(nodeA, fromA) && WentOnFromHeld(nodeB, fromB), TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));
        Assert.True(bothWentOn, $"both nodes did not find {HeldByTest} leased and go on to the next workspace within 2 minutes:\n{nodeA.Output}\n{nodeB.Output}");
        var releasedAt = TimeProvider.System.GetTimestamp();
        Assert.True((await redis.TryRunAsync("test", db => db.KeyDeleteAsync(leaseKey))) is (true, true), "the test's lease was gone before it released it");

        var bothWorked = await Poll.UntilAsync(() => Runs(nodeA).Any(r => r.Conversions > 0) && Runs(nodeB).Any(r => r.Conversions > 0),
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));
        Assert.True(bothWorked, $"both nodes did not attribute new conversions within 2 minutes:\n{nodeA.Output}\n{nodeB.Output}");

        await stop.CancelAsync();
        var people = await Task.WhenAll(senders);

        // Once every replica holds every event, a run of each workspace that starts later covers all of them, whichever
        // replica its node reads.
        foreach (var (workspace, count) in s_workspaces.Zip(people)) { await UntilStoredAsync(cluster, workspace, count * EventsPerPerson); }
        await SyncReplicasAsync(cluster, "events");
        var allStored = TimeProvider.System.GetTimestamp(); // a monotonic tick, as the nodes log them (not the wall clock)
        var allRun = await Poll.UntilAsync(() => s_workspaces.All(w => Runs(nodeA).Concat(Runs(nodeB)).Any(r => r.Workspace == w && r.Started > allStored)),
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));
        Assert.True(allRun, "not every workspace was run after its events were all stored within 2 minutes");

        await nodeA.StopAsync();
        await nodeB.StopAsync();
        var runs = Runs(nodeA).Select(r => (Node: "a", Run: r)).Concat(Runs(nodeB).Select(r => (Node: "b", Run: r))).ToList();
        foreach (var workspace in s_workspaces)
        {
            var ordered = runs.Where(r => r.Run.Workspace == workspace).OrderBy(r => r.Run.Started).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].Run.Started > ordered[i - 1].Run.Finished,
                    $"{workspace}: node {ordered[i].Node}'s run from {ordered[i].Run.Started} began before node {ordered[i - 1].Node}'s ended at {ordered[i - 1].Run.Finished}\n{RedisLines(nodeA)}\n{RedisLines(nodeB)}");
            }
        }

        Assert.Contains(runs, r => r.Node == "a" && r.Run.Conversions > 0);
        Assert.Contains(runs, r => r.Node == "b" && r.Run.Conversions > 0);
        Assert.DoesNotContain(runs, r => r.Run.Workspace == HeldByTest && r.Run.Started > heldFrom && r.Run.Started < releasedAt); // the test held it

        // The last run of a workspace may be on one replica only so far: the reader (node 0) waits for it.
        await SyncReplicasAsync(cluster, s_runTables);
        await AssertSingleNodeRecomputeMatchesAsync(cluster, people);
    }

    /// <summary>The replicated tables an attribution run writes.</summary>
    private static readonly string[] s_runTables =
        ["attribution_state", "person_paths", "attribution_conversions", "attribution_touches", "attribution_channel_models", "identity_links"];

    /// <summary>Waits until every node's replica of <paramref name="tables"/> has fetched what the other replica of its shard holds.</summary>
    private static async Task SyncReplicasAsync(ClusterServers cluster, params string[] tables)
    {
        for (var node = 0; node < cluster.Nodes.Length; node++)
        {
            foreach (var table in tables) { await cluster.QueryNodeAsync(node, $"SYSTEM SYNC REPLICA {cluster.Database}.{table}_local"); }
        }
    }

    private const int EventsPerPerson = 3;

    /// <summary>A node's log lines about Redis (a fallback explains a lease that did not hold).</summary>
    private static string RedisLines(CollectorProcess node) =>
        string.Join('\n', node.Output.Split('\n').Where(l => l.Contains("Redis", StringComparison.Ordinal)));

    /// <summary>What the two nodes left equals what one node's full recompute writes, for every model and grouping.</summary>
    private static async Task AssertSingleNodeRecomputeMatchesAsync(ClusterServers cluster, int[] people)
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.Parse(TestClock.StartAt, CultureInfo.InvariantCulture)))
            .AddClickHouseStore(new ClickHouseStoreOptions { ConnectionString = cluster.ConnectionString(0), Cluster = "otq" });
        await using var store = services.BuildServiceProvider();
        // The store's start-up step, as a host runs it: the schema is there already, the step marks the store ready.
        await store.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);
        var queries = store.GetRequiredService<IAttributionQueries>();
        foreach (var (workspace, count) in s_workspaces.Zip(people))
        {
            var byTwoNodes = await ResultsAsync(queries, workspace);
            // every other person came from search first
            Assert.Contains(byTwoNodes, l => l.StartsWith($"first|channel|Paid Search|{(count + 1) / 2}.000000|", StringComparison.Ordinal));

            await store.GetRequiredService<IAttributionStore>().RecomputeAsync(workspace, Collector.Attribution.WorkspaceAttribution.SettingsOf(new Pipeline.Workspaces.WorkspaceSettings { Id = workspace }), null, CancellationToken.None);

            var recomputed = await ResultsAsync(queries, workspace);
            Assert.Contains(recomputed, l => l.StartsWith("markov|channel|", StringComparison.Ordinal));
            Assert.Contains(recomputed, l => l.StartsWith("shapley|channel|", StringComparison.Ordinal));
            Assert.Equal(recomputed, byTwoNodes); // every model, Markov and Shapley included, to StoreParityTests' digits
        }
    }

    /// <summary>Every model's summary by every grouping, and the top paths, as text rounded past float summation order (as StoreParityTests').</summary>
    private static async Task<List<string>> ResultsAsync(IAttributionQueries queries, string workspace)
    {
        var lines = new List<string>();
        foreach (var groupBy in AttributionGroupings.All)
        {
            var summary = await queries.SummarizeAsync(workspace, AttributionModels.Names, groupBy, null, null, null, null, CancellationToken.None);
            foreach (var (model, rows) in summary.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lines.AddRange(rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                    $"{model}|{groupBy.ToString().ToLowerInvariant()}|{r.Key}|{r.Conversions:F6}|{r.Revenue:F4}")));
            }
        }

        var paths = await queries.TopPathsAsync(workspace, 50, null, null, null, CancellationToken.None);
        lines.AddRange(paths.Select(p => string.Create(CultureInfo.InvariantCulture, $"path|{p.Path}|{p.Conversions}|{p.Revenue:F4}")));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>At most this many people per workspace: the load stays a few seconds' worth however slow the machine is.</summary>
    private const int MaxPeople = 300;

    /// <summary>
    /// New people, five per request, until stopped (or <see cref="MaxPeople"/>): a first touch (paid search for every
    /// other person, else social), a second one by e-mail, and an order. Returns how many people were acknowledged.
    /// </summary>
    private static async Task<int> SendPeopleAsync(HttpClient client, string workspace, CancellationToken stop)
    {
        var people = 0;
        var run = Guid.NewGuid().ToString("N")[..8]; // Redis keeps durable ids for a day: a rerun's ids must be new
        while (!stop.IsCancellationRequested && people < MaxPeople)
        {
            var events = new List<string>();
            for (var p = people; p < people + 5; p++)
            {
                var person = string.Create(CultureInfo.InvariantCulture, $"{run}-{workspace}-p{p}");
                var first = p % 2 == 0
                    ? """{"url":"https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand"}"""
                    : """{"url":"https://shop.example/shoes","referrer":"https://www.facebook.com/"}""";
                events.Add($$$"""{"type":"page","messageId":"{{{person}}}-1","anonymousId":"{{{person}}}","timestamp":"2026-11-20T10:00:00.000Z","context":{"page":{{{first}}}}}""");
                events.Add($$$$"""{"type":"page","messageId":"{{{{person}}}}-2","anonymousId":"{{{{person}}}}","timestamp":"2026-11-22T10:00:00.000Z","context":{"page":{"url":"https://shop.example/?utm_source=newsletter&utm_medium=email"}}}""");
                events.Add($$$"""{"type":"conversion","messageId":"{{{person}}}-3","anonymousId":"{{{person}}}","timestamp":"2026-11-23T11:00:00.000Z","properties":{"orderId":"{{{person}}}","revenue":{{{10 + p % 7}}},"currency":"EUR"}}""");
            }

            using var response = await client.PostAsync("/v1/batch", Payloads.Json(Payloads.BatchWithKey("wk_" + workspace, [.. events])), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            people += 5;
            await Task.Delay(100, CancellationToken.None); // a steady trickle: each tick finds a few new people per workspace
        }

        return people;
    }

    private static async Task UntilStoredAsync(ClusterServers cluster, string workspace, int events)
    {
        var sql = $"SELECT uniqExact(message_id) FROM {cluster.Database}.events WHERE workspace = '{workspace}' FORMAT TabSeparated";
        var stored = await Poll.UntilAsync(async () => (await cluster.QueryAsync(sql)).Trim(), s => s == events.ToString(CultureInfo.InvariantCulture),
            TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));

        Assert.Equal(events.ToString(CultureInfo.InvariantCulture), stored);
    }

    private sealed record Run(string Workspace, int Conversions, long Started, long Finished);

    /// <summary>The runs a node logged (AttributionWorker's debug line, written while the lease is held).</summary>
    private static List<Run> Runs(CollectorProcess node) =>
        [.. RunLine().Matches(node.Output).Select(m => new Run(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"Attribution run of workspace (\S+): (\d+) conversions, held from tick (\d+) to tick (\d+)")]
    private static partial Regex RunLine();

    /// <summary>The workspace whose lease the test holds for a while.</summary>
    private const string HeldByTest = "w0";

    /// <summary>From <paramref name="from"/> on, the node logged that <see cref="HeldByTest"/> runs elsewhere, and then a run of another workspace.</summary>
    private static bool WentOnFromHeld(CollectorProcess node, int from)
    {
        var output = node.Output;
        var leased = LeasedElsewhere().Matches(output, from).FirstOrDefault(m => m.Groups[1].Value == HeldByTest);
        return leased is not null && RunLine().Matches(output, leased.Index).Any(m => m.Groups[1].Value != HeldByTest);
    }

    [GeneratedRegex(@"Attribution of workspace (\S+) is running elsewhere \(or Redis is silent for now\); going on to the next workspace")]
    private static partial Regex LeasedElsewhere();

    private Task<CollectorProcess> StartAsync(ClusterServers cluster, string name, string role, int clickHouseNode)
    {
        var args = new List<string>
        {
            "--role", role,
            "--OmniTrack:Store", "ClickHouse", "--OmniTrack:ClickHouse:ConnectionString", cluster.ConnectionString(clickHouseNode),
            "--OmniTrack:ClickHouse:Cluster", "otq", "--OmniTrack:Redis:Configuration", RedisServer.Address,
            "--OmniTrack:Attribution:IntervalSeconds", role == "attribute" ? "1" : "0",
            "--Logging:LogLevel:OmniTrackIQ.Collector.Attribution.AttributionWorker", "Debug",
        };
        for (var i = 0; i < s_workspaces.Length; i++)
        {
            var key = $"--OmniTrack:Workspaces:{i + 1}:";
            args.AddRange([key + "Id", s_workspaces[i], key + "WriteKey", "wk_" + s_workspaces[i], key + "EventsPerSecond", "0"]);
        }

        return CollectorProcess.StartAsync(Path.Combine(_root, name), "wk_crash", "rt_crash", extraArgs: args);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null) { await _cluster.DisposeAsync(); }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
