using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Pipeline.Orders;

namespace OmniTrackIQ.Collector.Orders;

/// <summary><c>GET /v1/orders/{orderId}</c> (read token): one order's sources, money, status, identity and attributed path.</summary>
internal static class OrderQueryEndpoints
{
    public static IEndpointRouteBuilder MapOrderQueries(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/orders/{orderId}", async (string orderId, HttpContext context, IOrderLedger ledger, CancellationToken cancellationToken) =>
            {
                var workspace = context.Workspace();
                var order = await ledger.GetAsync(workspace.Id, orderId, cancellationToken);
                return order is null
                    ? Problems.From(new IngestError(404, "orderId", "no source reported this order to the workspace", "unknown_order"))
                    : TypedResults.Ok(order);
            })
            .WithTags("Orders").WithSummary("One order: sources with their reports, gross, refunds, net, status, identity keys and attributed path")
            .Produces<OrderDetail>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireReadToken();
        return app;
    }
}
