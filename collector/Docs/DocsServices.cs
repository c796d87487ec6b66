using OmniTrackIQ.Collector.Docs;
using Scalar.AspNetCore;

// In the Hosting namespace so CollectorServices and Program pick the extensions up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary><c>GET /openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi) and the Scalar API reference at <c>/docs</c>.</summary>
internal static class DocsServices
{
    public const string DocsPrefix = "/docs";

    public static IServiceCollection AddOmniTrackOpenApi(this IServiceCollection services)
    {
        services.AddSingleton<OpenApiSecurity>();
        services.AddSingleton<OpenApiRequestBodies>();
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<OpenApiSecurity>();
            options.AddOperationTransformer<OpenApiSecurity>();
            options.AddOperationTransformer<OpenApiRequestBodies>();
            options.AddOperationTransformer<OpenApiCsvResponses>();
            options.AddOperationTransformer<OpenApiQueryParameters>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapOmniTrackDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // Scalar.AspNetCore embeds its script and serves it under the prefix (/docs/scalar.js); the page itself
        // only reaches out for web fonts, telemetry and the AI agent, all switched off so /docs works offline
        // and sends nothing to third parties.
        app.MapScalarApiReference(DocsPrefix, options => options
            .WithTitle("OmniTrackIQ collector API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
        return app;
    }
}
