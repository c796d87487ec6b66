using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Store.ClickHouse;

namespace OmniTrackIQ.Pipeline.Tests.Stores;

/// <summary>
/// A fresh database (random name) on the server at <c>OTQ_CLICKHOUSE_URL</c> (default http://127.0.0.1:8123;
/// tests/clickhouse/start.sh starts one) for one test class, dropped afterwards. When no server answers, tests
/// are reported as skipped with the reason, except with <c>CI=true</c>, where they fail: CI must really run them.
/// </summary>
public sealed class ClickHouseServerFixture : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];
    private string? _unavailable;

    public Uri Url { get; } = new(Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:8123");

    public string Database { get; } = "otq_test_" + Guid.NewGuid().ToString("N")[..16];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var answer = await Http.GetStringAsync(new Uri(Url, "/?query=SELECT%201"), probe.Token);
            if (answer.Trim() != "1") { _unavailable = $"{Url} answered '{answer.Trim()}' to SELECT 1"; }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            _unavailable = $"no ClickHouse server at {Url} ({ex.Message}); start one with tests/clickhouse/start.sh or set OTQ_CLICKHOUSE_URL";
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

    public ClickHouseStoreOptions Options(string? database = null) =>
        new() { ConnectionString = $"Host={Url.Host};Port={Url.Port};Database={database ?? Database}" };

    /// <summary>A store wired by AddClickHouseStore, as the collector wires it; initialised.</summary>
    public async Task<ServiceProvider> OpenAsync(ClickHouseStoreOptions? options = null)
    {
        RequireServer();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddClickHouseStore(options ?? Options());
        var provider = services.BuildServiceProvider();
        lock (_providers) { _providers.Add(provider); }
        await provider.GetRequiredService<IEventStore>().InitializeAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>Runs SQL on the server directly (not through the store under test).</summary>
    public async Task<string> QueryAsync(string sql)
    {
        using var response = await Http.PostAsync(Url, new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers) { await provider.DisposeAsync(); }
        if (_unavailable is null)
        {
            try { await QueryAsync($"DROP DATABASE IF EXISTS {Database}"); }
            catch (HttpRequestException) { }
        }

        Http.Dispose();
    }
}
