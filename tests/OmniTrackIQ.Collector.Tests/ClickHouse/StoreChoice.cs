namespace OmniTrackIQ.Collector.Tests.ClickHouse;

/// <summary>
/// Runs an end-to-end test class on either store: the embedded DuckDB (the default) or a ClickHouse database of the
/// test's own on the test server (<see cref="ClickHouseTestServer"/>), so the same assertions prove both.
/// </summary>
public abstract class StoreChoice : IAsyncLifetime
{
    private readonly List<ClickHouseTestServer> _servers = [];

    /// <summary>A new collector on the store this class runs on.</summary>
    protected abstract Task<CollectorFactory> NewFactoryAsync(Action<CollectorFactory>? configure = null);

    /// <summary>A collector on a fresh ClickHouse database (skipped, or failed with CI=true, without a server).</summary>
    protected async Task<CollectorFactory> ClickHouseFactoryAsync(Action<CollectorFactory>? configure)
    {
        var server = await ClickHouseTestServer.RequireAsync();
        lock (_servers) { _servers.Add(server); }
        var factory = new CollectorFactory();
        factory.Settings["OmniTrack:Store"] = "ClickHouse";
        factory.Settings["OmniTrack:ClickHouse:ConnectionString"] = server.ConnectionString();
        configure?.Invoke(factory);
        return factory;
    }

    protected static Task<CollectorFactory> DuckDbFactoryAsync(Action<CollectorFactory>? configure)
    {
        var factory = new CollectorFactory();
        configure?.Invoke(factory);
        return Task.FromResult(factory);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) { await server.DisposeAsync(); }
    }
}
