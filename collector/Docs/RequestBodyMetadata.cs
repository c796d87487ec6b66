using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OmniTrackIQ.Collector.Docs;

/// <summary>
/// A request body for the document only. <c>.Accepts(...)</c> would say the same but also adds
/// IAcceptsMetadata, which routing enforces: another content type would get a bare 415 before the
/// handler could answer its own problem+json naming <c>Content-Type</c>.
/// </summary>
internal sealed record RequestBodyMetadata(string Description, IReadOnlyList<string> ContentTypes);

/// <summary>Writes <see cref="RequestBodyMetadata"/> into the operation (schema-free: the handlers read the body themselves).</summary>
internal sealed class OpenApiRequestBodies : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyMetadata>().LastOrDefault();
        if (body is null) { return Task.CompletedTask; }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = body.Description,
            Content = body.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType(), StringComparer.Ordinal),
        };
        return Task.CompletedTask;
    }
}

internal static class RequestBodyMetadataExtensions
{
    public static RouteHandlerBuilder DocumentsBody(this RouteHandlerBuilder builder, string description, params string[] contentTypes) =>
        builder.WithMetadata(new RequestBodyMetadata(description, contentTypes));
}
