using Microsoft.Extensions.Options;
using OmniTrackIQ.Pipeline.Startup;
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
        if (store.Equals(DuckDb, StringComparison.OrdinalIgnoreCase)) { return services.AddDuckDbOptions(configuration, dataDirectory); }
        if (store.Equals(ClickHouse, StringComparison.OrdinalIgnoreCase)) { return services.AddClickHouseOptions(configuration); }
        throw new InvalidOperationException($"OmniTrack:Store is '{store}'; it must be {DuckDb} or {ClickHouse}.");
    }

    /// <summary>
    /// The store a CLI verb (backfill, import-spend, erase) works on, from the same settings the server reads
    /// (appsettings.json, then environment), with its start-up step (the migrations) run once before the verb's work;
    /// <paramref name="dataDirectory"/> overrides the data directory. A store that cannot be reached (or an embedded
    /// file another process holds) is a <see cref="StoreNotReadyException"/> naming why: a verb does not wait for it.
    /// </summary>
    public static async Task<ServiceProvider> OpenForCommandAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        var provider = ForCommand(dataDirectory);
        try
        {
            await provider.GetRequiredService<IStoreMigrations>().MigrateAsync(cancellationToken);
            return provider;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            await provider.DisposeAsync();
            throw new StoreNotReadyException("its migrations could not run: " + ex.Message, ex);
        }
    }

    /// <summary>The store's services from the verbs' settings, its start-up step not run (a verb uses <see cref="OpenForCommandAsync"/>).</summary>
    internal static ServiceProvider ForCommand(string? dataDirectory)
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

    /// <summary><c>OmniTrack:ClickHouse</c>: ConnectionString (required), LoadMarkMargin, RequestTimeout, lookup chunking; checked at start.</summary>
    private static IServiceCollection AddClickHouseOptions(this IServiceCollection services, IConfiguration configuration)
    {
        // The class's default connection string serves the tests and the benchmarks; a deployment must name its server.
        services.AddValidatedOptions<ClickHouseStoreOptions>(configuration, "OmniTrack:ClickHouse", o => o.ConnectionString = "");
        return services.AddClickHouseStore(static sp => sp.GetRequiredService<IOptions<ClickHouseStoreOptions>>().Value);
    }

    /// <summary><c>OmniTrack:DuckDb</c>: the file (default <c>DATA_DIR/omnitrack.duckdb</c>), memory, threads, checkpoint size; checked at start.</summary>
    private static IServiceCollection AddDuckDbOptions(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.AddValidatedOptions<DuckDbStoreOptions>(configuration, "OmniTrack:DuckDb", o => o.Path = Path.Combine(dataDirectory, "omnitrack.duckdb"));
        return services.AddDuckDbStore(static sp => sp.GetRequiredService<IOptions<DuckDbStoreOptions>>().Value);
    }
}
