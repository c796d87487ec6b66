using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Collector.Health;

/// <summary><c>/healthz</c> (process up), <c>/readyz</c> (store reachable, spool writable), <c>/metrics</c> (Prometheus, behind <see cref="MetricsAccess"/>).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok"))
            .WithTags("Health").WithSummary("The process is up");
        app.MapGet("/readyz", ReadyAsync)
            .WithTags("Health").WithSummary("Ready: the store answers and the spool is writable and below its limit (else 503)")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        var access = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        // OpenTelemetry's exporter writes the scrape; the gate runs first in its branch.
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
            {
                if (MetricsAccess.Refusal(context, access) is { } refusal) { await refusal.ExecuteAsync(context); }
                else { await next(context); }
            }), optionsName: null)
            .WithDisplayName("Prometheus metrics: bearer token when OmniTrack:Metrics:TokenSha256 is set, else this machine only");
        return app;
    }

    private static async Task<IResult> ReadyAsync(HttpContext context, IEventStore store, CancellationToken cancellationToken)
    {
        // Roles that do not ingest have no spool; only the store decides their readiness.
        var spool = context.RequestServices.GetService<SpoolWriter>();
        bool storeOk;
        try { storeOk = await store.PingAsync(cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException) { storeOk = false; }

        // Read once: the spool's state can change between two reads, and the body must say why the status is what it is.
        var spoolProblem = spool?.Unavailable;
        var spoolOk = spoolProblem is null;
        var body = $"store: {(storeOk ? "ok" : "unreachable")}\nspool: {(spool is null ? "not in this role" : spoolProblem ?? "ok")}\n";
        return storeOk && spoolOk ? TypedResults.Text(body) : TypedResults.Text(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
