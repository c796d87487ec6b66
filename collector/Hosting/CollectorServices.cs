using OmniTrackIQ.Collector.SharedState;
using Microsoft.Extensions.Options;
using OmniTrackIQ.Collector.Health;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Proxies;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Enrichment;
using OmniTrackIQ.Pipeline.Enrichment;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.RateLimits;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Workspaces;
using OmniTrackIQ.UserAgents;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>Wires the collector: workspaces, the store (<see cref="StoreServices"/>) and attribution always; enrichment, spool, channel and sink for the roles that ingest.</summary>
internal static class CollectorServices
{
    public static IServiceCollection AddOmniTrackCollector(this IServiceCollection services, IConfiguration configuration, CollectorRole role = CollectorRole.All)
    {
        var dataDirectory = Path.GetFullPath(configuration["OmniTrack:DataDirectory"] ?? "data");
        services.AddSingleton(CollectorClock.From(configuration));
        services.AddValidatedOptions<SpoolOptions>(configuration, "OmniTrack:Spool", o => o.Directory = Path.Combine(dataDirectory, "spool"));
        services.AddValidatedOptions<SinkOptions>(configuration, "OmniTrack:Sink");
        services.AddOmniTrackMetrics(configuration);
        services.AddOmniTrackHealthChecks();
        services.AddOptions<WorkspaceList>().Configure(list => list.Items = WorkspacesFrom(configuration, dataDirectory)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkspaceList>, WorkspaceListValidation>();
        services.AddSingleton(sp => new WorkspaceRegistry(sp.GetRequiredService<IOptions<WorkspaceList>>().Value.Items));
        // The budgets' levels: in Redis when one is configured (shared by every node), else in process.
        services.AddOmniTrackSharedState(configuration);
        services.AddSingleton(sp => new WorkspaceRateLimiter(sp.GetRequiredService<WorkspaceRegistry>(), sp.GetRequiredService<IRateBuckets>(),
            sp.GetRequiredService<CollectorMetrics>()));
        services.AddTrustedProxies(configuration);
        services.AddOmniTrackOpenApi();
        services.AddOmniTrackStore(configuration, dataDirectory);
        services.AddHostedService<StoreStartup>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CollectorJsonContext.Default));
        services.AddOmniTrackAttribution(configuration, worker: role.Attributes());
        Privacy.PrivacyServices.AddOmniTrackPrivacy(services, dataDirectory);
        if (role.Attributes()) { services.AddBadEventRetention(configuration); }
        if (!role.Ingests()) { return services; }

        services.AddSingleton(sp =>
        {
            var spool = sp.GetRequiredService<SpoolOptions>();
            return SegmentedSpool.Open(spool.Directory!, spool.SegmentBytes, sp.GetRequiredService<ILogger<SegmentedSpool>>(), spool.MaxSegmentAge, sp.GetRequiredService<TimeProvider>());
        });
        // At most one store batch of events waits in memory; the sink reads anything beyond it back from the spool.
        services.AddSingleton(sp =>
        {
            var sink = sp.GetRequiredService<SinkOptions>();
            return new SinkQueue(sink.ChannelCapacity, sink.BatchSize);
        });
        services.AddSingleton<BadEventQueue>();
        services.AddSingleton<SpoolWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoolWriter>());
        services.AddSingleton<SinkWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SinkWriter>());
        services.AddValidatedOptions<IngestOptions>(configuration, "OmniTrack:Ingest");
        services.AddSingleton(PublicUrl.From(configuration));
        services.AddSingleton(sp => PixelIdKey.From(sp.GetRequiredService<IngestOptions>(), dataDirectory));
        // Enrichment can be switched off only to measure its cost (bench/RESULTS.md); IPs are then not stored at all.
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<IngestOptions>().Enrich ? sp.GetServices<IEventEnricher>() : [],
            sp.GetRequiredService<SpoolWriter>(), sp.GetRequiredService<SpoolOptions>(), sp.GetRequiredService<BadEventQueue>(), sp.GetRequiredService<CollectorMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IDurableMessageIds>()));
        services.AddSingleton<Orders.ShopifyDeliveries>();
        // gzip/deflate/br bodies (RudderStack gzips by default); BodyReader's limit counts the decompressed bytes.
        services.AddRequestDecompression();

        // Order matters: UA (bot flag) first, then geo on the raw IP, then privacy (anonymises it), then channels.
        services.AddOmniTrackUserAgents(configuration);
        services.AddOmniTrackEnrichment(configuration);
        return services;
    }

    /// <summary>Gauges read live state; set once the singletons exist.</summary>
    public static void BindGauges(IServiceProvider services)
    {
        var metrics = services.GetRequiredService<CollectorMetrics>();
        if (services.GetService<SegmentedSpool>() is not { } spool || services.GetService<SinkQueue>() is not { } queue) { return; }
        metrics.SpoolBytes = () => spool.BytesOnDisk;
        metrics.ChannelDepth = () => queue.Depth;
        metrics.SpoolTornBytes = () => spool.TornBytesCut;
    }

    private static List<WorkspaceSettings> WorkspacesFrom(IConfiguration configuration, string dataDirectory)
    {
        var configured = configuration.GetSection(WorkspaceList.Section).Get<List<WorkspaceSettings>>() ?? [];
        // The demo shop (collector/Demo) does not count: with it alone, the quick start's own workspace is there as usual.
        if (configured.TrueForAll(w => w.Id == Demo.DemoKeys.WorkspaceId)) { configured.Add(DemoWorkspace.LoadOrCreate(dataDirectory, Console.Out)); }
        return configured;
    }
}
