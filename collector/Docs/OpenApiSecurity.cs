using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OmniTrackIQ.Collector.Docs;

/// <summary>Describes the collector's credentials as security schemes and attaches them to the operations that carry <see cref="AuthMetadata"/>.</summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "OmniTrackIQ collector",
            Version = "v1",
            Description = "Tracking-pixel collector: ingest (write key), ad spend (secret key), reports and attribution (read token). " +
                          "Errors are RFC 7807 application/problem+json with `field` and `reason`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        var schemes = document.Components.SecuritySchemes;
        const string BodyNote = " The write key may also be sent in the JSON body as `writeKey`.";
        schemes[SecuritySchemes.WriteKeyBasic] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "The workspace's public write key (wk_…) as the HTTP Basic user name, password empty." + BodyNote,
        };
        schemes[SecuritySchemes.WriteKeyHeader] = ApiKey("X-OTQ-Key", ParameterLocation.Header, "The workspace's public write key (wk_…) in the X-OTQ-Key header." + BodyNote);
        schemes[SecuritySchemes.WriteKeyQuery] = ApiKey("writeKey", ParameterLocation.Query, "The workspace's public write key (wk_…) in the writeKey query parameter." + BodyNote);
        schemes[SecuritySchemes.PixelWriteKey] = ApiKey("wk", ParameterLocation.Query, "The workspace's public write key (wk_…) in the pixel's wk parameter.");
        schemes[SecuritySchemes.SecretKey] = Bearer("sk_…", "The workspace's secret key, server to server only (Authorization: Bearer sk_…).");
        schemes[SecuritySchemes.ReadToken] = Bearer("rt_…", "A read token of the workspace (Authorization: Bearer rt_…).");
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var auth = context.Description.ActionDescriptor.EndpointMetadata.OfType<AuthMetadata>().LastOrDefault();
        if (auth is null) { return Task.CompletedTask; }
        operation.Security ??= [];
        foreach (var scheme in auth.Schemes)
        {
            // One requirement per scheme: OpenAPI reads a list of requirements as "any one of".
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }

    private static OpenApiSecurityScheme ApiKey(string name, ParameterLocation location, string description) =>
        new() { Type = SecuritySchemeType.ApiKey, Name = name, In = location, Description = description };

    private static OpenApiSecurityScheme Bearer(string format, string description) =>
        new() { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = format, Description = description };
}
