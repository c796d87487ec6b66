using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.RateLimits;

namespace OmniTrackIQ.Collector.SharedState;

internal static class SharedStateServices
{
    /// <summary>
    /// The Redis every node shares (<see cref="RedisOptions"/>), connected in the background at start, and the rate-limit
    /// budgets: in Redis when it is configured (one budget for all nodes), else in process. So are the message ids
    /// made durable (a retry through another node skips the spool); alone, a node skips nothing and the store dedups.
    /// </summary>
    public static IServiceCollection AddOmniTrackSharedState(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.AddSingleton<RedisState>();
        services.AddHostedService<RedisConnector>();
        services.AddSingleton(sp => new LocalRateBuckets(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RedisRateBuckets>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisRateBuckets>()); // its grouped takes' loop, only with Redis
        services.AddSingleton<IRateBuckets>(sp => sp.GetRequiredService<RedisState>().Configured
            ? sp.GetRequiredService<RedisRateBuckets>()
            : sp.GetRequiredService<LocalRateBuckets>());
        services.AddSingleton<RedisMessageIds>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisMessageIds>()); // its grouped calls' loops, only with Redis
        services.AddSingleton<IDurableMessageIds>(sp => sp.GetRequiredService<RedisState>().Configured
            ? sp.GetRequiredService<RedisMessageIds>()
            : NoDurableMessageIds.Instance);
        services.AddSingleton<RedisWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisWarmUp>()); // after the message ids' loops: it goes through them
        return services;
    }

    /// <summary>Starts the connection without holding up the host: Redis may come up after the collector.</summary>
    private sealed class RedisConnector(RedisState redis) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            redis.StartConnecting();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
