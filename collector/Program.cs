using OmniTrackIQ.Collector.Health;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Orders;
using OmniTrackIQ.Collector.Snippet;
using OmniTrackIQ.Collector.Proxies;
using OmniTrackIQ.Collector.Stats;

// The command line (collector/Hosting/CollectorCommandLine.cs): the verbs and --help run there; no verb, or demo, is this server.
var command = CollectorCommandLine.Parse(args);
if (!CollectorCommandLine.RunsServer(command)) { return await CollectorCommandLine.InvokeAsync(command, Console.Out, Console.Error); }

var builder = WebApplication.CreateBuilder(args);
// The server plus a seeded demo shop (collector/Demo); after a demo, a plain start serves that shop too.
if (CollectorCommandLine.IsDemo(command)) { OmniTrackIQ.Collector.Demo.DemoShop.AddTo(builder); } else { OmniTrackIQ.Collector.Demo.DemoShop.ServeIfSeeded(builder); }
if (!CollectorRoles.TryParse(builder.Configuration, out var role, out var roleError))
{
    await Console.Error.WriteLineAsync(roleError);
    return ExitCodes.Usage;
}

builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);
builder.Services.AddOmniTrackCollector(builder.Configuration, role);

var app = builder.Build();
CollectorServices.BindGauges(app.Services);
_ = app.Services.GetRequiredService<OmniTrackIQ.Collector.Workspaces.WorkspaceRegistry>(); // print demo keys at start
_ = app.Services.GetRequiredService<OmniTrackIQ.Collector.RateLimits.WorkspaceRateLimiter>(); // a bad limit fails now, not on the first request
app.UseTrustedProxies();
app.UseRequestTiming();
app.UseStoreNotReadyAnswer();
app.MapHealth();
app.MapOmniTrackDocs();
if (role.Ingests())
{
    _ = app.Services.GetRequiredService<PixelIdKey>(); // made (or a bad configured key refused) at start, not on the first pixel
    app.UseBrowserCors();
    app.UseRequestDecompression();
    app.MapIngest();
    app.MapSnippet();
    app.MapConversions();
    app.MapShopifyWebhooks(); // the order and compliance (privacy) webhook routes, one group
}

if (role.Serves())
{
    app.MapStats();
    app.MapAttribution();
    app.MapSpend();
    app.MapOrderQueries();
    app.MapAnalyst();
    OmniTrackIQ.Collector.Privacy.PrivacyEndpoints.MapPrivacy(app);
    app.MapReport();
}

await app.RunAsync();
return Environment.ExitCode; // 0 unless the demo's seeding failed (DemoRunner sets it)

/// <summary>Entry point type, public for WebApplicationFactory.</summary>
public partial class Program;
