using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Pipeline.Erasure;
using OmniTrackIQ.Pipeline.Ingest;

namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// The three privacy actions, shared by the Shopify webhooks, the operator routes and nothing else: erase a person,
/// erase a workspace, export a person. A store that cannot be reached is a 503 with Retry-After (Shopify and
/// operators retry), never a 500; a request that links to too many identifiers to be one person is a 422.
/// </summary>
internal static class PrivacyActions
{
    private const int StoreRetryAfterSeconds = 30;

    public static async Task<IResult> RunAsync(Func<Task<ErasureResponse>> action, HttpContext context, ILogger logger)
    {
        try
        {
            return TypedResults.Json(await action(), CollectorJsonContext.Default.ErasureResponse);
        }
        catch (ErasureTooWideException ex)
        {
            return Problems.From(new IngestError(422, "customer", ex.Message, "erasure_too_wide"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not Pipeline.Startup.StoreNotReadyException)
        {
            logger.LogError(ex, "privacy request on {Path} failed in the store; the caller is asked to retry", context.Request.Path);
            context.Response.Headers.RetryAfter = StoreRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.From(new IngestError(503, "store", "the store could not complete the request; nothing is lost, retry", "store_unavailable"));
        }
    }

    public static async Task<ErasureResponse> ErasePersonAsync(PersonErasure erasure, string workspace, ErasureRequest request, CancellationToken cancellationToken)
    {
        var (keys, counts) = await erasure.EraseAsync(workspace, request, cancellationToken);
        return ErasureResponse.From("erase_person", keys.Count, counts);
    }

    public static async Task<ErasureResponse> EraseWorkspaceAsync(PersonErasure erasure, string workspace, CancellationToken cancellationToken) =>
        ErasureResponse.From("erase_workspace", 0, await erasure.EraseWorkspaceAsync(workspace, cancellationToken));

    public static async Task<ErasureResponse> ExportAsync(PersonErasure erasure, PrivacyExports exports, string workspace, string requestId, ErasureRequest request,
        CancellationToken cancellationToken)
    {
        var json = await erasure.ExportAsync(workspace, requestId, request, cancellationToken);
        await exports.WriteAsync(workspace, requestId, json, cancellationToken);
        return new ErasureResponse("export", 0, 0, 0, 0, requestId);
    }
}
