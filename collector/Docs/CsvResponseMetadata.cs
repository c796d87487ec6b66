using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OmniTrackIQ.Collector.Docs;

/// <summary>
/// The route's 200 answer is also CSV (<c>format=csv</c> or <c>Accept: text/csv</c>). A second <c>.Produces(200, …)</c>
/// would replace the JSON one in the document instead of adding to it.
/// </summary>
internal sealed record CsvResponseMetadata;

/// <summary>Adds <c>text/csv</c> (a string) beside the JSON content of the 200 response of routes with <see cref="CsvResponseMetadata"/>.</summary>
internal sealed class OpenApiCsvResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<CsvResponseMetadata>().Any()) { return Task.CompletedTask; }
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
        {
            content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }

        return Task.CompletedTask;
    }
}

internal static class CsvResponseMetadataExtensions
{
    public static RouteHandlerBuilder AlsoAsCsv(this RouteHandlerBuilder builder) => builder.WithMetadata(new CsvResponseMetadata());
}
