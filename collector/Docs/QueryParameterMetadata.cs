using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OmniTrackIQ.Collector.Docs;

/// <summary>
/// A query parameter a handler reads from <c>HttpContext.Request.Query</c> itself (to answer a bad value with a 400
/// naming it, rather than the binder's bare 400), described for the API reference.
/// </summary>
internal sealed record QueryParameterMetadata(string Name, string Description);

/// <summary>Lists the <see cref="QueryParameterMetadata"/> of a route as its query parameters (strings, optional).</summary>
internal sealed class OpenApiQueryParameters : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameterMetadata>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Description = parameter.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }
}

internal static class QueryParameterMetadataExtensions
{
    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new QueryParameterMetadata(name, description));
}
