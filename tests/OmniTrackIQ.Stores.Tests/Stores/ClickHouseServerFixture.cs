using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Startup;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// A fresh database (random name) on the server at <c>OTQ_CLICKHOUSE_URL</c> (default http://127.0.0.1:8123;
/// tests/clickhouse/start.sh starts one) for one test class, dropped afterwards. When no server answers, tests
/// are reported as skipped with the reason, except with <c>CI=true</c>, where they fail: CI must really run them.
/// <see cref="ClickHouseClusterFixture"/> is the same on a cluster.
/// </summary>
public class ClickHouseServerFixture : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];
    private readonly string _start;
    private string? _unavailable;

    public ClickHouseServerFixture()
        : this(Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:8123", null, "tests/clickhouse/start.sh")
    {
    }

    protected ClickHouseServerFixture(string url, string? cluster, string start)
    {
        Url = new Uri(url);
        Cluster = cluster;
        _start = start;
    }

    public Uri Url { get; }

    /// <summary>The cluster the store's tables live on, or null for one server.</summary>
    public string? Cluster { get; }

    /// <summary>Every server whose local tables hold the store's rows (on one server, just <see cref="Url"/>).</summary>
    protected virtual IReadOnlyList<Uri> Nodes => [Url];

    public string Database { get; } = "otq_test_" + Guid.NewGuid().ToString("N")[..16];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public virtual async Task InitializeAsync()
    {
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var answer = await Http.GetStringAsync(new Uri(Url, "/?query=SELECT%201"), probe.Token);
            if (answer.Trim() != "1") { _unavailable = $"{Url} answered '{answer.Trim()}' to SELECT 1"; }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            _unavailable = $"no ClickHouse server at {Url} ({ex.Message}); start one with {_start}";
        }
    }

    /// <summary>Skips (or, in CI, fails) the calling test when there is no server.</summary>
    public void RequireServer()
    {
        if (_unavailable is null) { return; }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail("CI=true and " + _unavailable);
        }

        Skip.If(true, _unavailable);
    }

    /// <param name="node">Which server of <see cref="Nodes"/> the store talks to (on one server, always it).</param>
    public ClickHouseStoreOptions Options(string? database = null, int node = 0)
    {
        var url = Nodes[node % Nodes.Count];
        return new() { ConnectionString = $"Host={url.Host};Port={url.Port};Database={database ?? Database}", Cluster = Cluster };
    }

    /// <summary>A store wired by AddClickHouseStore, as the collector wires it, its start-up step run (<see cref="MigrateAsync"/>).</summary>
    /// <param name="time">The store's clock (default <see cref="Time"/>): another process's clock, for a store as a second node would run it.</param>
    public async Task<ServiceProvider> OpenAsync(ClickHouseStoreOptions? options = null, TimeProvider? time = null)
    {
        RequireServer();
        var services = new ServiceCollection();
        services.AddSingleton(time ?? Time);
        services.AddClickHouseStore(options ?? Options());
        var provider = services.BuildServiceProvider();
        lock (_providers) { _providers.Add(provider); }
        await MigrateAsync(provider);
        return provider;
    }

    /// <summary>
    /// The store's start-up step, as the collector's host runs it: a store built without a host must run it before its
    /// readers answer (they refuse with StoreNotReadyException until then).
    /// </summary>
    public static Task MigrateAsync(IServiceProvider provider) => provider.GetRequiredService<IStoreMigrations>().MigrateAsync(CancellationToken.None);

    /// <summary>Runs SQL on the server directly (not through the store under test).</summary>
    public async Task<string> QueryAsync(string sql)
    {
        using var response = await Http.PostAsync(Url, new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    /// <summary>
    /// Runs SQL on every node (one on a single server): what a mutation or a scan must cover, since on a cluster the rows
    /// and the mutations of each shard live on its own nodes.
    /// </summary>
    public async Task<IReadOnlyList<string>> QueryEveryNodeAsync(string sql)
    {
        var answers = new List<string>();
        foreach (var node in Nodes)
        {
            using var response = await Http.PostAsync(node, new StringContent(sql));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            answers.Add(body);
        }

        return answers;
    }

    /// <summary>
    /// Stops merges of a table of the store, so that copies of a row stay side by side and reads prove they do not
    /// depend on merges. On a cluster the rows are in the local tables of every node.
    /// </summary>
    public Task StopMergesAsync(string table) => QueryEveryNodeAsync($"SYSTEM STOP MERGES {Database}.{(Cluster is null ? table : table + "_local")}");

    /// <summary>
    /// Waits until the database's mutations (erasure, retention) are done on every node: they run in each server's
    /// background pool and 18.16 has no mutations_sync. A bounded number of polls, no sleeping; on a small table the
    /// first answer is normally already "done".
    /// </summary>
    public async Task UntilMutationsDoneAsync()
    {
        for (var poll = 0; poll < 2000; poll++)
        {
            var pending = await QueryEveryNodeAsync($"SELECT count() FROM system.mutations WHERE database = '{Database}' AND is_done = 0");
            if (pending.All(p => p.Trim() == "0")) { return; }
            await Task.Yield();
        }

        Assert.Fail($"the mutations on {Database} did not finish");
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) { await provider.DisposeAsync(); }
        if (_unavailable is null)
        {
            try { await QueryAsync(Cluster is null ? $"DROP DATABASE IF EXISTS {Database}" : $"DROP DATABASE IF EXISTS {Database} ON CLUSTER {Cluster}"); }
            catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException) { }
        }

        Http.Dispose();
    }
}
