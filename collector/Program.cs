var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok());
await app.RunAsync();

/// <summary>Entry point type, public for WebApplicationFactory.</summary>
public partial class Program;
