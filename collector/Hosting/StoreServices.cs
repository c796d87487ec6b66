using OmniTrackIQ.Store.ClickHouse;
using OmniTrackIQ.Store.DuckDb;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// Picks the store by <c>OmniTrack:Store</c> (<c>DuckDb</c>, the default, or <c>ClickHouse</c>) and registers it
/// with its own DI extension; the rest of the collector and the CLI verbs see only the store interfaces.
/// </summary>
internal static class StoreServices
{
    public const string DuckDb = "DuckDb";
    public const string ClickHouse = "ClickHouse";

    public static IServiceCollection AddOmniTrackStore(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var store = configuration["OmniTrack:Store"] ?? DuckDb;
        if (store.Equals(DuckDb, StringComparison.OrdinalIgnoreCase)) { return services.AddDuckDbStore(DuckDbOptions(configuration, dataDirectory)); }
        if (store.Equals(ClickHouse, StringComparison.OrdinalIgnoreCase)) { return services.AddClickHouseStore(ClickHouseOptions(configuration)); }
        throw new InvalidOperationException($"OmniTrack:Store is '{store}'; it must be {DuckDb} or {ClickHouse}.");
    }

    /// <summary>
    /// The store a CLI verb (backfill, import-spend) works on, from the same settings the server reads
    /// (appsettings.json, then environment); <paramref name="dataDirectory"/> overrides the data directory.
    /// </summary>
    public static ServiceProvider ForCommand(string? dataDirectory)
    {
        var read = CommandConfiguration();
        var directory = Path.GetFullPath(dataDirectory ?? read["OmniTrack:DataDirectory"] ?? "data");
        // --data-dir names the DuckDB file's folder even where OmniTrack:DuckDb:Path is configured.
        var configuration = dataDirectory is null
            ? read
            : new ConfigurationBuilder().AddConfiguration(read)
                .AddInMemoryCollection([new("OmniTrack:DuckDb:Path", Path.Combine(directory, "omnitrack.duckdb"))]).Build();
        var services = new ServiceCollection();
        services.AddSingleton(CollectorClock.From(configuration));
        services.AddOmniTrackStore(configuration, directory);
        return services.BuildServiceProvider();
    }

    /// <summary>appsettings.json of the working directory, then the environment (as the server reads them).</summary>
    public static IConfiguration CommandConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary><c>OmniTrack:ClickHouse</c>: ConnectionString (required), LoadMarkMargin, RequestTimeout, lookup chunking.</summary>
    private static ClickHouseStoreOptions ClickHouseOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection("OmniTrack:ClickHouse").Get<ClickHouseStoreOptions>() ?? new ClickHouseStoreOptions();
        if (string.IsNullOrWhiteSpace(configuration["OmniTrack:ClickHouse:ConnectionString"]))
        {
            throw new InvalidOperationException("OmniTrack:Store is ClickHouse but OmniTrack:ClickHouse:ConnectionString is not set (e.g. Host=127.0.0.1;Port=8123;Database=otq).");
        }

        return options;
    }

    private static DuckDbStoreOptions DuckDbOptions(IConfiguration configuration, string dataDirectory) => new()
    {
        Path = configuration["OmniTrack:DuckDb:Path"] ?? Path.Combine(dataDirectory, "omnitrack.duckdb"),
        MemoryLimit = configuration["OmniTrack:DuckDb:MemoryLimit"] ?? "256MB",
        Threads = configuration.GetValue("OmniTrack:DuckDb:Threads", 1),
        CheckpointThreshold = configuration["OmniTrack:DuckDb:CheckpointThreshold"] ?? new DuckDbStoreOptions().CheckpointThreshold,
    };
}
