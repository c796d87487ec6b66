using OmniTrackIQ.Pipeline.Metrics;

namespace OmniTrackIQ.Collector.Health;

/// <summary>Records each request's duration in the latency histogram, labelled by route pattern (never by raw path).</summary>
internal static class RequestTiming
{
    public static IApplicationBuilder UseRequestTiming(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<CollectorMetrics>();
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            var start = time.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.ObserveRequest(route, time.GetTimestamp() - start);
            }
        });
    }
}
