using Microsoft.AspNetCore.HttpOverrides;

namespace OmniTrackIQ.Collector.Proxies;

/// <summary>
/// Client address and scheme behind a load balancer: <c>X-Forwarded-For</c>/<c>-Proto</c> through ASP.NET
/// Core's middleware, RFC 7239 <c>Forwarded</c> through <see cref="ForwardedHeaderStep"/>; both only from
/// the peers in <c>OmniTrack:Ingest:TrustedProxies</c>.
/// </summary>
internal static class ProxyServices
{
    /// <summary>Parses the trusted proxies now, so a bad entry stops the host from starting.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var trusted = TrustedProxies.From(configuration);
        services.AddSingleton(trusted);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults trust loopback; here only what is configured is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var address in trusted.Addresses) { options.KnownProxies.Add(address); }
            foreach (var network in trusted.Networks) { options.KnownIPNetworks.Add(network); }
            // Every proxy is known, so no hop count is needed: the middleware walks X-Forwarded-For from the
            // right and stops at the first address that is not a trusted proxy, which is the client.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>First in the pipeline, before anything reads the client address.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<TrustedProxies>();
        // With both lists empty ForwardedHeadersMiddleware trusts EVERY peer, so it must not run at all then.
        if (trusted.IsEmpty) { return app; }

        // Forwarded runs first: once the middleware has consumed X-Forwarded-For it removes the header, and
        // Forwarded would then be read a second time on behalf of the client it just found.
        app.Use((context, next) =>
        {
            ForwardedHeaderStep.Apply(context, trusted);
            return next(context);
        });
        return app.UseForwardedHeaders();
    }
}
