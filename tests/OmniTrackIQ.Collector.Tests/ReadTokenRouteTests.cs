using System.Net;
using System.Net.Http.Headers;

namespace OmniTrackIQ.Collector.Tests;

/// <summary>Every read-token route refuses a request without one, or with another workspace's, before its handler runs.</summary>
public sealed class ReadTokenRouteTests : IClassFixture<CollectorFactory>
{
    private readonly HttpClient _client;

    public ReadTokenRouteTests(CollectorFactory factory) => _client = factory.CreateClient();

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/events/bad")]
    [InlineData("/v1/events/stats")]
    [InlineData("/v1/orders/1001")]
    [InlineData("/v1/orders")]
    [InlineData("/v1/metrics/summary")]
    [InlineData("/v1/metrics/daily?format=csv")]
    public async Task Without_a_read_token_it_is_401_naming_authorization(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Authorization", (await CollectorClient.ProblemAsync(response)).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/v1/events?workspace=other")]
    [InlineData("/v1/orders?workspace=other")]
    [InlineData("/v1/metrics/summary?workspace=other&format=csv")]
    public async Task A_read_token_asking_for_another_workspace_is_403(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_order_no_source_reported_is_404()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/orders/never-reported");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CollectorFactory.ReadToken);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
