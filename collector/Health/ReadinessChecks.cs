using Microsoft.Extensions.Diagnostics.HealthChecks;
using OmniTrackIQ.Collector.SharedState;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Health;

/// <summary>
/// The checks behind <c>/readyz</c> (tag <see cref="Tag"/>), <c>/readyz/ingest</c> (tag <see cref="IngestTag"/>) and
/// <c>/healthz</c> (tag <see cref="LiveTag"/>); each one's
/// description is its line of the answer. The endpoints are route handlers over <see cref="HealthCheckService"/> rather
/// than <c>MapHealthChecks</c>, so they stay in the OpenAPI document.
/// </summary>
internal static class ReadinessChecks
{
    public const string Tag = "ready";
    public const string Store = "store";
    public const string Spool = "spool";
    public const string IngestTag = "ingest";
    public const string IngestSpool = "ingest-spool";
    public const string Redis = "redis";
    public const string LiveTag = "live";
    public const string Process = "process";

    public static IServiceCollection AddOmniTrackHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck(Process, static () => HealthCheckResult.Healthy("ok"), tags: [LiveTag])
            .AddCheck<StoreCheck>(Store, tags: [Tag])
            .AddTypeActivatedCheck<SpoolCheck>(Spool, failureStatus: null, tags: [Tag], args: [false])
            .AddTypeActivatedCheck<SpoolCheck>(IngestSpool, failureStatus: null, tags: [IngestTag], args: [true])
            .AddCheck<RedisWarmUpCheck>(Redis, tags: [Tag, IngestTag]);
        return services;
    }

    /// <summary>
    /// The store answers a ping (a ping that throws is the same answer as one that says no) and its start-up step (the
    /// migrations) has finished: a store that answers but is not migrated yet is not ready either, and says why.
    /// </summary>
    private sealed class StoreCheck(IEventStore store, StoreReadiness readiness) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            bool reachable;
            try { reachable = await store.PingAsync(cancellationToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { reachable = false; }
            if (!reachable) { return HealthCheckResult.Unhealthy("unreachable"); }
            return readiness.IsReady ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy("not ready: " + readiness.Reason);
        }
    }

    /// <summary>
    /// With Redis configured, the batch path's Redis code has been run once before load (<see cref="RedisWarmUp"/>): a
    /// second or so after start, whether or not Redis answers. Without Redis the check has no line.
    /// </summary>
    private sealed class RedisWarmUpCheck(RedisState redis, RedisWarmUp warmUp) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(!redis.Configured ? HealthCheckResult.Healthy()
                : warmUp.Done ? HealthCheckResult.Healthy(redis.IsConnected ? "ok" : "not connected (each use falls back)")
                : HealthCheckResult.Unhealthy("warming up"));
    }

    /// <summary>
    /// The spool is writable and below its limit. Roles that do not ingest have none: for <c>/readyz</c> only the store
    /// decides for them, while <c>/readyz/ingest</c> (<paramref name="forIngest"/>) says such a node takes no events.
    /// </summary>
    private sealed class SpoolCheck(IServiceProvider services, bool forIngest) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<SpoolWriter>() is not { } spool)
            {
                return Task.FromResult(forIngest ? HealthCheckResult.Unhealthy("this role does not ingest") : HealthCheckResult.Healthy("not in this role"));
            }
            // Read once: the spool's state can change between two reads, and the answer must say why the status is what it is.
            var problem = spool.Unavailable;
            return Task.FromResult(problem is null ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy(problem));
        }
    }
}
