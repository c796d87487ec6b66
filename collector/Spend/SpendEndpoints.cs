using System.Buffers;
using System.Text.Json.Serialization;
using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Spend;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Spend;

// In the Hosting namespace so Program picks MapSpend up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// <c>POST /v1/spend</c>: a workspace's ad spend as JSON (<c>{"rows":[…]}</c> or a platform's own answer, see
/// <see cref="SpendJsonParser"/>) or CSV, authenticated by its secret key (<c>Authorization: Bearer sk_…</c>). Rows
/// replace earlier imports of the same campaign's day, so a daily re-export is safe.
/// </summary>
internal static class SpendEndpoints
{
    public static IEndpointRouteBuilder MapSpend(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/spend", PostSpendAsync)
            .WithTags("Spend").WithSummary("Import ad spend rows (JSON or CSV); replaces earlier imports of the same date, platform and campaign")
            .DocumentsBody("{\"rows\": [{date, platform, campaign, spend, currency, impressions?, clicks?, channel?, campaign_id?}]} or CSV with that header; " +
                "or a Google Ads search/searchStream answer, a Meta Insights page ({\"data\": [...]}, time_increment=1) or a TikTok report page ({\"data\": {\"list\": [...]}}).",
                "application/json", "text/csv")
            .Produces<SpendImportResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireSecretKey()
            .LimitSecretKeyRequests();
        return app;
    }

    private static async Task<IResult> PostSpendAsync(HttpContext context, ISpendStore store, CancellationToken cancellationToken)
    {
        // Its key and rate limit are checked before the body is read (the route's filters): a wrong key neither writes
        // nor learns anything about its payload, a refused request costs no parsing.
        var workspace = context.Workspace();

        var contentType = context.Request.ContentType ?? "";
        var isJson = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (!isJson && !contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.From(new IngestError(415, "Content-Type", "send application/json or text/csv", "unsupported_media_type"));
        }

        var (buffer, length, error) = await Ingest.BodyReader.ReadAsync(context.Request, SpendLimits.MaxBodyBytes, cancellationToken);
        if (error is not null) { return Problems.From(error); }

        List<SpendRow> rows;
        try
        {
            error = isJson
                ? SpendJsonParser.TryParse(buffer.AsMemory(0, length), out rows)
                : SpendCsvParser.TryParse(buffer.AsSpan(0, length), out rows);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }

        if (error is not null) { return Problems.From(error); }
        var flaggedRows = SpendCurrency.Flag(rows, workspace.Currency, out var flagged);
        var written = await store.UpsertAsync(workspace.Id, flaggedRows, cancellationToken);
        return TypedResults.Json(new SpendImportResponse(written, flagged), SpendJsonContext.Default.SpendImportResponse);
    }
}

/// <summary>
/// Rows written (distinct date, platform, campaign, ad group and ad keys of the import), and per currency the spend
/// kept but not summed because it is not the shop's (<see cref="SpendCurrency"/>).
/// </summary>
internal sealed record SpendImportResponse(int Rows, List<FlaggedSpend> CurrencyFlagged);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpendImportResponse))]
internal sealed partial class SpendJsonContext : JsonSerializerContext;
