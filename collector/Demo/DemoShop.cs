using System.Globalization;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Collector.Workspaces;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// <c>collector demo</c>: the collector as usual plus the <c>demo-shop</c> workspace (keys in
/// <c>{DataDirectory}/demo-shop.json</c>), which a background run seeds through the collector's own routes once
/// Kestrel listens; then it prints the report's URL and keeps serving. <c>--OmniTrack:Demo:Exit true</c> stops
/// after seeding (scripts, CI). Once seeded, every later start of the collector on that data directory serves the
/// demo shop too and prints its report's URL (<see cref="DemoShopNotice"/>), so the shop outlives the verb.
/// </summary>
internal static class DemoShop
{
    public const string ExitKey = "OmniTrack:Demo:Exit";

    /// <summary>The verb: keys made on the first run, the workspace, and the seeding run.</summary>
    public static void AddTo(WebApplicationBuilder builder)
    {
        var keys = DemoKeys.LoadOrCreate(DataDirectory(builder.Configuration), CollectorClock.From(builder.Configuration).GetUtcNow());
        Serve(builder, keys);
        builder.Services.AddHostedService<DemoRunner>();
    }

    /// <summary>A plain start: the demo shop is served (no seeding) when an earlier <c>demo</c> left its keys.</summary>
    public static void ServeIfSeeded(WebApplicationBuilder builder)
    {
        if (DemoKeys.Load(DataDirectory(builder.Configuration)) is not { } keys) { return; }
        Serve(builder, keys);
        builder.Services.AddHostedService<DemoShopNotice>();
    }

    private static void Serve(WebApplicationBuilder builder, DemoKeys keys)
    {
        var configuration = builder.Configuration;
        var configured = configuration.GetSection("OmniTrack:Workspaces").GetChildren().ToList();
        if (!configured.Any(w => w["Id"] == DemoKeys.WorkspaceId))
        {
            configuration.AddInMemoryCollection(Settings(keys, configured.Count));
        }

        builder.Services.AddSingleton(keys);
    }

    private static string DataDirectory(IConfiguration configuration) => Path.GetFullPath(configuration["OmniTrack:DataDirectory"] ?? "data");

    /// <summary>The demo-shop workspace as <c>OmniTrack:Workspaces:{index}</c> settings: USD, its Shopify secret, no rate limits (the demo posts a year's worth of traffic in seconds).</summary>
    public static Dictionary<string, string?> Settings(DemoKeys keys, int index)
    {
        var prefix = "OmniTrack:Workspaces:" + index.ToString(CultureInfo.InvariantCulture) + ":";
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [prefix + "Id"] = DemoKeys.WorkspaceId,
            [prefix + "WriteKey"] = keys.WriteKey,
            [prefix + "SecretKeySha256"] = WorkspaceRegistry.Sha256Hex(keys.SecretKey),
            [prefix + "ReadTokenSha256:0"] = WorkspaceRegistry.Sha256Hex(keys.ReadToken),
            [prefix + "ShopifyWebhookSecret"] = keys.WebhookSecret,
            [prefix + "ShopifyShopDomain"] = DemoKeys.ShopDomain,
            [prefix + "OwnDomains:0"] = "demo-shop.example",
            [prefix + "Currency"] = "USD",
            [prefix + "EventsPerSecond"] = "0",
            [prefix + "SecretKeyRequestsPerSecond"] = "0",
            [prefix + "ReadTokenRequestsPerSecond"] = "0",
        };
    }
}
