using Microsoft.AspNetCore.Hosting.Server;
using OmniTrackIQ.Collector.Hosting;

namespace OmniTrackIQ.Collector.Demo;

/// <summary>
/// On a plain start that serves the demo shop (<see cref="DemoShop.ServeIfSeeded"/>), says so once Kestrel listens, with
/// the report's URL: the newcomer who stopped <c>demo</c> finds the dashboard again without reading demo-shop.json.
/// </summary>
internal sealed class DemoShopNotice(DemoKeys keys, IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration) : IHostedService
{
    private CancellationTokenRegistration _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() =>
        {
            var publicBase = PublicUrl.From(configuration).Value ?? DemoRunner.Listening(server);
            Console.Out.WriteLine($"Serving the demo shop (workspace {DemoKeys.WorkspaceId}, keys in {DemoKeys.FileName}). Open the report: {keys.ReportUrl(publicBase)}");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _started.Dispose();
        return Task.CompletedTask;
    }
}
