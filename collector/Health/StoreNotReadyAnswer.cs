using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Pipeline.Startup;

namespace OmniTrackIQ.Collector.Health;

/// <summary>
/// Turns a reader's <see cref="StoreNotReadyException"/> (the store's start-up step has not finished: its tables may not
/// exist yet) into 503 problem+json <c>store_not_ready</c> with <c>Retry-After</c>, whatever the route: a transient
/// state, never a 500. Readers throw it before their first query, so no answer has started.
/// </summary>
internal static class StoreNotReadyAnswer
{
    /// <summary>A few seconds: the step is retried with the sink's back-off, and a client should not hammer meanwhile.</summary>
    public const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseStoreNotReadyAnswer(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (StoreNotReadyException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await Problems.StoreNotReady(RetryAfterSeconds, ex.Reason, context).ExecuteAsync(context);
        }
    });
}
