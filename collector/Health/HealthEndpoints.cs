using OmniTrackIQ.Pipeline.Metrics;
using OmniTrackIQ.Pipeline.Sink;
using OmniTrackIQ.Pipeline.Spool;

namespace OmniTrackIQ.Collector.Health;

/// <summary><c>/healthz</c> (process up), <c>/readyz</c> (store reachable, spool writable), <c>/metrics</c> (Prometheus).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok"));
        app.MapGet("/readyz", ReadyAsync);
        app.MapGet("/metrics", (CollectorMetrics metrics) => TypedResults.Text(PrometheusText.Render(metrics), PrometheusText.ContentType));
        return app;
    }

    private static async Task<IResult> ReadyAsync(IEventStore store, SpoolWriter spool, CancellationToken cancellationToken)
    {
        bool storeOk;
        try { storeOk = await store.PingAsync(cancellationToken); }
        catch (Exception ex) when (ex is not OperationCanceledException) { storeOk = false; }

        var spoolOk = spool.Healthy && spool.HasRoom;
        var body = $"store: {(storeOk ? "ok" : "unreachable")}\nspool: {(spoolOk ? "ok" : "not writable or full")}\n";
        return storeOk && spoolOk ? TypedResults.Text(body) : TypedResults.Text(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
