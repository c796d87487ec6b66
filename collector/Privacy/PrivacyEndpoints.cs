using System.Buffers;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.RateLimits;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// The operator's erasure and export routes, with the workspace's secret key (<c>Authorization: Bearer sk_…</c>): a read
/// token is for dashboards and must not be able to delete anything or read a person's whole history.
/// <c>POST /v1/privacy/erase</c> (a person), <c>POST /v1/privacy/erase-workspace</c> (<c>{"confirm": "&lt;workspace id&gt;"}</c>),
/// <c>POST /v1/privacy/exports</c> (a person's export, kept under its requestId) and <c>GET /v1/privacy/exports/{id}</c>.
/// </summary>
internal static class PrivacyEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/privacy").WithTags("Privacy");
        group.MapPost("/erase", EraseAsync).WithSummary("Erase a person (secret key)")
            .WithDescription("Body {emails, emailSha256, phones, userIds, anonymousIds, orderIds}: the person and every id linked to them leave every table; their orders stay, anonymous.")
            .Produces<ErasureResponse>().ProducesProblem(400).ProducesProblem(422).ProducesProblem(503).RequireSecretKey();
        group.MapPost("/erase-workspace", EraseWorkspaceAsync).WithSummary("Erase every row of the workspace (secret key)")
            .WithDescription("Body {\"confirm\": \"<workspace id>\"}.").Produces<ErasureResponse>().ProducesProblem(400).ProducesProblem(503).RequireSecretKey();
        group.MapPost("/exports", ExportAsync).WithSummary("Export a person's rows (secret key)")
            .WithDescription("Body as /erase plus an optional requestId; the export is kept in the data directory and read with GET /v1/privacy/exports/{requestId}.")
            .Produces<ErasureResponse>().ProducesProblem(400).ProducesProblem(422).ProducesProblem(503).RequireSecretKey();
        group.MapGet("/exports/{requestId}", GetExportAsync).WithSummary("A person's export as JSON (secret key)")
            .Produces(200, contentType: "application/json").ProducesProblem(404).RequireSecretKey();
        return app;
    }

    private static async Task<IResult> EraseAsync(HttpContext context, PersonErasure erasure, ILogger<PersonErasure> logger,
        CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (Limited(context, workspace) is { } limited) { return limited; }
        var (request, _, badRequest) = await ReadPersonAsync(context, cancellationToken);
        if (request is null) { return badRequest!; }
        return await PrivacyActions.RunAsync(() => PrivacyActions.ErasePersonAsync(erasure, workspace.Id, request, cancellationToken), context, logger);
    }

    private static async Task<IResult> EraseWorkspaceAsync(HttpContext context, PersonErasure erasure, ILogger<PersonErasure> logger,
        CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (Limited(context, workspace) is { } limited) { return limited; }
        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (readError is not null) { return Problems.From(readError); }
        string? confirm;
        try { confirm = Confirmation(buffer!.AsSpan(0, length)); }
        finally { ArrayPool<byte>.Shared.Return(buffer!); }

        if (confirm != workspace.Id)
        {
            return Problems.From(new IngestError(400, "confirm", $"must be this workspace's id ('{workspace.Id}'): every row of it is deleted", "confirmation_required"));
        }

        return await PrivacyActions.RunAsync(() => PrivacyActions.EraseWorkspaceAsync(erasure, workspace.Id, cancellationToken), context, logger);
    }

    private static async Task<IResult> ExportAsync(HttpContext context, PersonErasure erasure, PrivacyExports exports,
        ILogger<PersonErasure> logger, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (Limited(context, workspace) is { } limited) { return limited; }
        var (request, requestId, badRequest) = await ReadPersonAsync(context, cancellationToken);
        if (request is null) { return badRequest!; }
        var id = requestId ?? "export-" + Guid.NewGuid().ToString("N");
        return await PrivacyActions.RunAsync(() => PrivacyActions.ExportAsync(erasure, exports, workspace.Id, id, request, cancellationToken), context, logger);
    }

    private static async Task<IResult> GetExportAsync(string requestId, HttpContext context, PrivacyExports exports,
        CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (Limited(context, workspace) is { } limited) { return limited; }
        if (!PrivacyExports.IsValidId(requestId)) { return Problems.From(new IngestError(400, "requestId", "1–64 letters, digits, '-' or '_'", "bad_request_id")); }
        var json = await exports.ReadAsync(workspace.Id, requestId, cancellationToken);
        return json is null
            ? Problems.From(new IngestError(404, "requestId", "no export under this id for the workspace", "no_such_export"))
            : TypedResults.Bytes(json, "application/json");
    }

    /// <summary>The secret key's rate limit (<c>SecretKeyRequestsPerSecond</c>), as /v1/spend and /v1/conversions count it.</summary>
    private static IResult? Limited(HttpContext context, Pipeline.Workspaces.WorkspaceSettings workspace)
    {
        var rate = context.RequestServices.GetRequiredService<WorkspaceRateLimiter>().TryAcquire(workspace, RateLimitedKey.SecretKey, 1);
        return rate.Allowed ? null : Problems.RateLimited(rate.RetryAfterSeconds, context, RateLimitedKey.SecretKey);
    }

    private static async Task<(ErasureRequest? Request, string? RequestId, IResult? Problem)> ReadPersonAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (buffer, length, readError) = await BodyReader.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        if (readError is not null) { return (null, null, Problems.From(readError)); }
        try
        {
            var request = ErasureRequestJson.Parse(buffer!.AsSpan(0, length), out var requestId, out var field, out var error);
            return request is null ? (null, null, Problems.From(new IngestError(400, field!, error!, "bad_privacy_request"))) : (request, requestId, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    private static string? Confirmation(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("confirm", out var confirm) && confirm.ValueKind == System.Text.Json.JsonValueKind.String
                ? confirm.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
