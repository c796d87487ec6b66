using OmniTrackIQ.Pipeline.Sink;

namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// Wires the <c>bad_events</c> retention worker (<c>OmniTrack:BadEvents</c>) over the store's <see cref="IBadEventRetention"/>.
/// It runs where the attribution worker runs (roles <c>all</c> and <c>attribute</c>): one process per deployment, so
/// several ingest nodes do not start the same delete.
/// </summary>
internal static class BadEventRetentionServices
{
    public static IServiceCollection AddBadEventRetention(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BadEventRetentionOptions.Section).Get<BadEventRetentionOptions>() ?? new BadEventRetentionOptions();
        if (options.Problem() is { } problem) { throw new InvalidOperationException(problem); }
        services.AddSingleton(options);
        services.AddHostedService<BadEventRetentionWorker>();
        return services;
    }
}
