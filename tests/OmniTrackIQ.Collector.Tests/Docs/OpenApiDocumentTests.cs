using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OmniTrackIQ.Collector.Tests.Docs;

public sealed class OpenApiDocumentTests : IClassFixture<CollectorFactory>
{
    private readonly CollectorFactory _factory;

    public OpenApiDocumentTests(CollectorFactory factory) => _factory = factory;

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_with_its_methods()
    {
        using var client = _factory.CreateClient();
        using var document = await DocumentAsync(client);
        var paths = document.RootElement.GetProperty("paths");

        var routes = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/openapi", StringComparison.Ordinal) && !raw.StartsWith("/docs", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Method: m.ToLowerInvariant())))
            .ToList();

        Assert.Contains(("/v1/batch", "post"), routes);
        Assert.Contains(("/p.gif", "get"), routes);
        Assert.Contains(("/v1/spend", "post"), routes);
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");
        var missing = routes.Where(r => !paths.TryGetProperty(r.Path, out var item) || !item.TryGetProperty(r.Method, out _)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_security_schemes_are_described_and_attached_per_route()
    {
        using var client = _factory.CreateClient();
        using var document = await DocumentAsync(client);
        var root = document.RootElement;
        var schemes = root.GetProperty("components").GetProperty("securitySchemes");

        Assert.Equal("basic", schemes.GetProperty("writeKeyBasic").GetProperty("scheme").GetString());
        Assert.Equal("X-OTQ-Key", schemes.GetProperty("writeKeyHeader").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("writeKeyHeader").GetProperty("in").GetString());
        Assert.Equal("writeKey", schemes.GetProperty("writeKeyQuery").GetProperty("name").GetString());
        Assert.Equal("query", schemes.GetProperty("writeKeyQuery").GetProperty("in").GetString());
        Assert.Equal("sk_…", schemes.GetProperty("secretKey").GetProperty("bearerFormat").GetString());
        Assert.Equal("rt_…", schemes.GetProperty("readToken").GetProperty("bearerFormat").GetString());

        Assert.Equal(["secretKey"], SchemesOf(root, "/v1/spend", "post"));
        Assert.Equal(["readToken"], SchemesOf(root, "/v1/events/stats", "get"));
        Assert.Equal(["readToken"], SchemesOf(root, "/v1/attribution/summary", "get"));
        Assert.Empty(SchemesOf(root, "/healthz", "get"));
        foreach (var analyst in new[] { "/v1/metrics/summary", "/v1/metrics/daily", "/v1/orders", "/v1/attribution/summary" })
        {
            // The query parameters the handlers read themselves are listed, the channel filter with its meaning.
            var parameters = root.GetProperty("paths").GetProperty(analyst).GetProperty("get").GetProperty("parameters").EnumerateArray().ToList();
            var channel = Assert.Single(parameters, p => p.GetProperty("name").GetString() == "channel");
            Assert.Equal("query", channel.GetProperty("in").GetString());
            Assert.Contains("credit the model gives that channel's touches", channel.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "format");
            Assert.Equal(["readToken"], SchemesOf(root, analyst, "get"));
            var ok = root.GetProperty("paths").GetProperty(analyst).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.Equal(["application/json", "text/csv"], ok.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        var spend = root.GetProperty("paths").GetProperty("/v1/spend").GetProperty("post");
        Assert.Equal("Spend", spend.GetProperty("tags")[0].GetString());
        Assert.True(spend.GetProperty("responses").TryGetProperty("429", out var limited));
        Assert.True(limited.GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.Equal(["application/json", "text/csv"], spend.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name));
        Assert.True(spend.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
    }

    [Fact]
    public async Task The_docs_page_is_html_served_with_its_own_script_and_no_cdn()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/docs"); // Scalar redirects /docs to /docs/ (its assets are relative to it)

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/docs/", response.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"scalar.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        // The bundle is embedded in Scalar.AspNetCore and served from here, not from a CDN.
        using var script = await client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 1_000_000);
    }

    private static async Task<JsonDocument> DocumentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> SchemesOf(JsonElement root, string path, string method)
    {
        var operation = root.GetProperty("paths").GetProperty(path).GetProperty(method);
        if (!operation.TryGetProperty("security", out var security)) { return []; }
        return security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
    }
}
