namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// The ClickHouse server the tests use (<c>OTQ_CLICKHOUSE_URL</c>, default http://127.0.0.1:8123; test.sh starts one
/// with tests/clickhouse/start.sh). Each test gets a database of its own, dropped afterwards. Without a server the
/// tests are skipped with the reason, except with <c>CI=true</c>, where they fail.
/// </summary>
internal sealed class ClickHouseTestServer : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ClickHouseTestServer(Uri? url = null) =>
        Url = url ?? new(Environment.GetEnvironmentVariable("OTQ_CLICKHOUSE_URL") is { Length: > 0 } configured ? configured : "http://127.0.0.1:8123");

    public Uri Url { get; }

    /// <summary>A server the test started itself (<see cref="PrivateClickHouse"/>), known to be up.</summary>
    public static ClickHouseTestServer At(Uri url) => new(url);

    public string Database { get; } = "otq_collector_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The connection string of this test's database, on the server or on <paramref name="port"/> of a gate in front of it.</summary>
    public string ConnectionString(int? port = null) => $"Host=127.0.0.1;Port={port ?? Url.Port};Database={Database}";

    public static async Task<ClickHouseTestServer> RequireAsync()
    {
        var server = new ClickHouseTestServer();
        string? unavailable = null;
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            if ((await server._http.GetStringAsync(new Uri(server.Url, "/?query=SELECT%201"), probe.Token)).Trim() != "1") { unavailable = $"{server.Url} does not answer SELECT 1"; }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            unavailable = $"no ClickHouse server at {server.Url} ({ex.Message}); start one with tests/clickhouse/start.sh or set OTQ_CLICKHOUSE_URL";
        }

        if (unavailable is null) { return server; }
        server._http.Dispose();
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) { Assert.Fail("CI=true and " + unavailable); }
        Skip.If(true, unavailable);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Runs SQL on the server directly, not through the collector.</summary>
    public async Task<string> QueryAsync(string sql)
    {
        using var response = await _http.PostAsync(Url, new StringContent(sql));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    /// <summary>Every stored message id of a workspace, one entry per stored row (copies not merged away included).</summary>
    public async Task<List<string>> StoredIdsAsync(string workspace)
    {
        var text = await QueryAsync($"SELECT message_id FROM {Database}.events WHERE workspace = '{workspace}' FORMAT TabSeparated");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    public async ValueTask DisposeAsync()
    {
        try { await QueryAsync($"DROP DATABASE IF EXISTS {Database}"); }
        catch (Exception ex) when (ex is HttpRequestException or Xunit.Sdk.XunitException) { } // the test's own failure matters more
        _http.Dispose();
    }
}
