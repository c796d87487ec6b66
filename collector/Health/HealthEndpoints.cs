using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OmniTrackIQ.Collector.Health;

/// <summary><c>/healthz</c> (process up), <c>/readyz</c> (store reachable, spool writable, with Redis its warm-up done) and <c>/readyz/ingest</c> (spool
/// writable: what a load balancer in front of ingest nodes checks) over ASP.NET Core's health checks (<see cref="ReadinessChecks"/>), <c>/metrics</c> (Prometheus, behind <see cref="MetricsAccess"/>).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", LiveAsync)
            .WithTags("Health").WithSummary("The process is up");
        app.MapGet("/readyz", ReadyAsync)
            .WithTags("Health").WithSummary("Ready: the store answers and the spool is writable and below its limit (else 503)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        app.MapGet("/readyz/ingest", IngestReadyAsync)
            .WithTags("Health").WithSummary("Takes events: the spool is writable and below its limit, whether or not the store answers (else 503)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        var access = app.ServiceProvider.GetRequiredService<MetricsOptions>();
        // OpenTelemetry's exporter writes the scrape; the gate runs first in its branch.
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (MetricsAccess.Refusal(context, access) is { } refusal) { await refusal.ExecuteAsync(context); }
                else { await next(context); }
            }), optionsName: null)
            .WithDisplayName("Prometheus metrics: bearer token when OmniTrack:Metrics:TokenSha256 is set, else this machine only");
        return app;
    }

    /// <summary>The health checks tagged ready, written as today's text: one line per check, 503 when any is unhealthy.</summary>
    private static async Task<IResult> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadinessChecks.Tag), cancellationToken);
        var body = $"store: {report.Entries[ReadinessChecks.Store].Description}\nspool: {report.Entries[ReadinessChecks.Spool].Description}\n{RedisLine(report)}";
        return report.Status == HealthStatus.Healthy ? TypedResults.Text(body) : TypedResults.Text(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Ingest readiness: the spool alone. Events are durable once spooled and the sink drains them when the store is back,
    /// so a node whose store is away still takes events; a balancer that checked <c>/readyz</c> would take every node
    /// out during a store outage and answer 503 for what the spools could have held.
    /// </summary>
    private static async Task<IResult> IngestReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadinessChecks.IngestTag), cancellationToken);
        var body = $"spool: {report.Entries[ReadinessChecks.IngestSpool].Description}\n{RedisLine(report)}";
        return report.Status == HealthStatus.Healthy ? TypedResults.Text(body) : TypedResults.Text(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The <c>redis</c> line, only when Redis is configured (its check then has a description).</summary>
    private static string RedisLine(HealthReport report) =>
        report.Entries[ReadinessChecks.Redis].Description is { } redis ? $"redis: {redis}\n" : "";

    /// <summary>Liveness: the one check tagged live only says the process answers; a hung process never gets that far.</summary>
    private static async Task<IResult> LiveAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadinessChecks.LiveTag), cancellationToken);
        var body = report.Entries[ReadinessChecks.Process].Description ?? "";
        return report.Status == HealthStatus.Healthy ? TypedResults.Text(body) : TypedResults.Text(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
