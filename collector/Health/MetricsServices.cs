using System.Diagnostics.Metrics;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Pipeline.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace OmniTrackIQ.Collector.Health;

/// <summary>
/// The collector's meter, exported by OpenTelemetry: the Prometheus scrape at <c>/metrics</c> always, and OTLP when
/// <c>OmniTrack:Metrics:OtlpEndpoint</c> is set.
/// </summary>
internal static class MetricsServices
{
    public static IServiceCollection AddOmniTrackMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CollectorMetrics>();
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.Section);
        // Whether to export over OTLP decides which services exist, so it is read now; the value is checked at start.
        var otlpEndpoint = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.OtlpEndpoint;
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(CollectorMetrics.MeterName);
            // The SDK listens to every meter of that name in the process; two hosts in one process (the tests, an
            // embedding) would add up each other's numbers. Only meters made by this container's factory are kept.
            if (metrics is IDeferredMeterProviderBuilder deferred)
            {
                deferred.Configure((sp, builder) =>
                {
                    var factory = sp.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, factory) ? null : MetricStreamConfiguration.Drop);
                });
            }

            metrics.AddPrometheusExporter(o =>
            {
                // The names are today's Prometheus names already: no unit or _total suffix added, no scope labels.
                o.TranslationStrategy = PrometheusAspNetCoreTranslationStrategy.UnderscoreEscapingWithoutSuffixes;
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            });
            if (otlpEndpoint is not null) { metrics.AddOtlpExporter(o => o.Endpoint = otlpEndpoint); }
        });
        return services;
    }
}
