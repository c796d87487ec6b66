namespace OmniTrackIQ.Collector.Docs;

/// <summary>Endpoint metadata: the security schemes that authorise a route, any one of them (OpenAPI's OR of requirements).</summary>
internal sealed record AuthMetadata(IReadOnlyList<string> Schemes);

/// <summary>Route builders' auth documentation: the scheme(s) in the OpenAPI operation and its 401 problem.</summary>
internal static class AuthMetadataExtensions
{
    public static RouteHandlerBuilder RequiresReadToken(this RouteHandlerBuilder builder) =>
        builder.RequiresAnyOf(SecuritySchemes.ReadToken).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static RouteHandlerBuilder RequiresSecretKey(this RouteHandlerBuilder builder) =>
        builder.RequiresAnyOf(SecuritySchemes.SecretKey).ProducesProblem(StatusCodes.Status429TooManyRequests);

    /// <summary>The route accepts any one of <paramref name="schemes"/> (names from <see cref="SecuritySchemes"/>).</summary>
    public static RouteHandlerBuilder RequiresAnyOf(this RouteHandlerBuilder builder, params string[] schemes) =>
        builder.WithMetadata(new AuthMetadata(schemes)).ProducesProblem(StatusCodes.Status401Unauthorized);
}
