using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace OmniTrackIQ.Collector.Tests.Proxies;

/// <summary>
/// TestServer has no TCP peer (RemoteIpAddress is null). This startup filter, registered only in tests,
/// runs before the collector's own pipeline and sets the peer from the <c>X-Test-Peer</c> header, so a
/// test can say which machine a request came from; everything after it is the production pipeline.
/// </summary>
internal sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.Remove(Header, out var peer)) { context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString()); }
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A collector with <paramref name="trustedProxies"/> configured and the test peer header honoured.</summary>
    public static WebApplicationFactory<Program> Factory(CollectorFactory factory, params string[] trustedProxies)
    {
        for (var i = 0; i < trustedProxies.Length; i++) { factory.Settings[$"OmniTrack:Ingest:TrustedProxies:{i}"] = trustedProxies[i]; }
        return factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, TestPeer>()));
    }
}
