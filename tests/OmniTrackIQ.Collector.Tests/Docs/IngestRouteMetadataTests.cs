using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Hosting;
using OmniTrackIQ.Collector.Ingest;

namespace OmniTrackIQ.Collector.Tests.Docs;

/// <summary>The helpers IngestEndpoints is to call, on stand-in routes in a bare app with the collector's OpenAPI setup.</summary>
public sealed class IngestRouteMetadataTests
{
    [Fact]
    public async Task The_batch_and_pixel_helpers_describe_their_routes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddOmniTrackOpenApi();
        await using var app = builder.Build();
        app.MapOpenApi();
        app.MapPost("/v1/batch", () => Results.Ok()).WithBatchMetadata(); // the 200 schema comes from the helper, not from this stand-in
        app.MapGet("/p.gif", () => Results.Empty).WithPixelMetadata();
        app.MapGet("/pixel2", () => Results.Empty).WithPixelMetadata(SecuritySchemes.PixelWriteKey, SecuritySchemes.WriteKeyQuery);
        await app.StartAsync();

        using var client = app.GetTestClient();
        var json = await client.GetStringAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(json);
        var paths = document.RootElement.GetProperty("paths");

        var batch = paths.GetProperty("/v1/batch").GetProperty("post");
        Assert.Equal("Ingest", batch.GetProperty("tags")[0].GetString());
        Assert.Equal("Ingest a batch of events", batch.GetProperty("summary").GetString());
        Assert.Equal(["200", "400", "401", "403", "413", "415", "429", "503"], batch.GetProperty("responses").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("AcceptedResponse", batch.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.Equal(["writeKeyBasic", "writeKeyHeader", "writeKeyQuery"], Schemes(batch));
        Assert.Equal(["application/json", "text/plain"], batch.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name));

        var pixel = paths.GetProperty("/p.gif").GetProperty("get");
        Assert.Equal(["200"], pixel.GetProperty("responses").EnumerateObject().Select(p => p.Name));
        Assert.True(pixel.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("image/gif", out _));
        Assert.Equal(["pixelWriteKey"], Schemes(pixel));
        Assert.Equal(["pixelWriteKey", "writeKeyQuery"], Schemes(paths.GetProperty("/pixel2").GetProperty("get")));
    }

    [Fact]
    public async Task The_documented_body_does_not_make_routing_refuse_other_content_types()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddOmniTrackOpenApi();
        await using var app = builder.Build();
        app.MapPost("/v1/batch", () => Results.Text("handler reached")).WithBatchMetadata();
        await app.StartAsync();
        using var client = app.GetTestClient();

        // The real handler answers its own 415 problem naming Content-Type; routing must let it.
        using var response = await client.PostAsync("/v1/batch", new StringContent("a,b", System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("handler reached", await response.Content.ReadAsStringAsync());
    }

    private static List<string> Schemes(JsonElement operation) =>
        operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
}
