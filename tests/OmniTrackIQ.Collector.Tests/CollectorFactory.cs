using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>An in-process collector with its own data directory and one configured workspace.</summary>
public sealed class CollectorFactory : WebApplicationFactory<Program>
{
    public const string WriteKey = "wk_test";
    public const string ReadToken = "rt_test";
    public const string SecretKey = "sk_test";
    public const string OtherReadToken = "rt_other";
    public const string Origin = "https://shop.example";
    public const string ShopifySecret = "shpss_test_secret";
    public const string ShopDomain = "shop-example.myshopify.com";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "otq-tests-" + Guid.NewGuid().ToString("N"));

    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("OmniTrack:DataDirectory", DataDirectory);
        builder.UseSetting("OmniTrack:Clock:StartAt", TestClock.StartAt);
        builder.UseSetting("OmniTrack:Sink:MaxBatchAge", "00:00:00.050");
        builder.UseSetting("OmniTrack:Workspaces:0:Id", "shop");
        builder.UseSetting("OmniTrack:Workspaces:0:WriteKey", WriteKey);
        builder.UseSetting("OmniTrack:Workspaces:0:ReadTokenSha256:0", Workspaces.WorkspaceRegistry.Sha256Hex(ReadToken));
        builder.UseSetting("OmniTrack:Workspaces:0:SecretKeySha256", Workspaces.WorkspaceRegistry.Sha256Hex(SecretKey));
        builder.UseSetting("OmniTrack:Workspaces:0:AllowedOrigins:0", Origin);
        builder.UseSetting("OmniTrack:Workspaces:0:ShopifyWebhookSecret", ShopifySecret);
        builder.UseSetting("OmniTrack:Workspaces:0:ShopifyShopDomain", ShopDomain);
        builder.UseSetting("OmniTrack:Workspaces:1:Id", "other");
        builder.UseSetting("OmniTrack:Workspaces:1:WriteKey", "wk_other");
        builder.UseSetting("OmniTrack:Workspaces:1:RequireAnalyticsConsent", "true");
        builder.UseSetting("OmniTrack:Workspaces:1:ReadTokenSha256:0", Workspaces.WorkspaceRegistry.Sha256Hex(OtherReadToken));
        foreach (var (key, value) in Settings) { builder.UseSetting(key, value); }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
