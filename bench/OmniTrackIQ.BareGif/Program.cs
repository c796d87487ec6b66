// The pixel's ceiling on this machine (issue 16): bare Kestrel answering GET /p.gif with the collector's 43-byte GIF and
// the same cache headers, and nothing else (no auth, no parsing, no spool). bench/throughput.sh puts the same wrk command
// against it and against the collector, so the ratio prices what the collector does per pixel over Kestrel's own cost.
// usage: dotnet OmniTrackIQ.BareGif.dll --urls http://127.0.0.1:8097
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

// Base64 of nginx's empty_gif, as collector/Ingest/IngestEndpoints.cs holds it.
var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
app.MapGet("/p.gif", (HttpContext context) =>
{
    var response = context.Response;
    response.ContentType = "image/gif";
    response.ContentLength = gif.Length;
    response.Headers.CacheControl = "no-store, max-age=0";
    return response.Body.WriteAsync(gif).AsTask();
});

app.Run();
