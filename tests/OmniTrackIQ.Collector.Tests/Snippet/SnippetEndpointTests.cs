using System.Net;
using System.Security.Cryptography;

namespace OmniTrackIQ.Collector.Tests.Snippet;

/// <summary>The storefront snippet is served from the build's embedded copy of sdk-js/dist/otq.js.</summary>
public sealed class SnippetEndpointTests : IClassFixture<CollectorFactory>
{
    private static readonly byte[] s_dist = File.ReadAllBytes(Path.Combine(RepositoryScript.Root(), "sdk-js", "dist", "otq.js"));
    private readonly HttpClient _client;

    public SnippetEndpointTests(CollectorFactory factory) => _client = factory.CreateClient();

    private static string Hash => Convert.ToHexStringLower(SHA256.HashData(s_dist))[..16];

    [Fact]
    public async Task Otq_js_is_the_built_snippet_with_a_short_cache_and_names_its_versioned_copy()
    {
        using var response = await _client.GetAsync("/otq.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Equal("cross-origin", response.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.Equal($"/v1/otq.{Hash}.js", response.Headers.GetValues("X-OTQ-Versioned-Url").Single());
        Assert.Equal(s_dist, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_versioned_copy_is_immutable_for_a_year_and_another_hash_is_404()
    {
        using var response = await _client.GetAsync($"/v1/otq.{Hash}.js");
        using var other = await _client.GetAsync("/v1/otq.0000000000000000.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal(s_dist, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_browser_that_takes_gzip_gets_it_and_a_revalidation_gets_304()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/otq.js");
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await _client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        using (var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
        using (var plain = new MemoryStream())
        {
            await gzip.CopyToAsync(plain);
            Assert.Equal(s_dist, plain.ToArray());
        }

        using var again = new HttpRequestMessage(HttpMethod.Get, "/otq.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        using var notModified = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
