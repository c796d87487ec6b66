using System.Globalization;
using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Ingest;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Ingest;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Analytics;
using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Collector.Attribution;

/// <summary>
/// Read-token endpoints over attribution_results: <c>GET /v1/attribution/summary</c>,
/// <c>GET /v1/attribution/compare</c>, <c>GET /v1/attribution/paths</c>, <c>GET /v1/attribution/coverage</c> and <c>POST /v1/attribution/run</c> (synchronous full recompute of the
/// token's workspace, so tests and operators need not wait for the worker; one at a time per workspace, <see cref="AttributionLease"/>).
/// </summary>
internal static class AttributionEndpoints
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/attribution/summary", async (HttpContext context, IAttributionQueries queries, CancellationToken cancellationToken) =>
        {
            var workspace = context.Workspace();
            IResult? problem;
            var query = context.Request.Query;
            var model = query["model"].ToString();
            if (model.Length == 0) { model = "linear"; }
            if (!AttributionModels.IsKnown(model))
            {
                return Bad("model", "must be one of " + string.Join(", ", AttributionModels.Names), "unknown_model");
            }

            if (!TryReadFilters(query, out var groupBy, out var from, out var to, out problem)) { return problem!; }
            if (!QueryOptions.TryRead(query, workspace, out var adHoc, out problem)) { return problem!; }
            if (!AnalystQuery.TryChannel(query, out var channel, out problem) || !AnalystQuery.TryWantsCsv(context, out var csv, out problem)) { return problem!; }
            var rows = (await queries.SummarizeAsync(workspace.Id, [model], groupBy, from, to, adHoc, channel, cancellationToken))[model];
            return csv
                ? AnalystQuery.Csv(SummaryCsv(groupBy.Name(), rows), "summary-" + groupBy.Name())
                : TypedResults.Json(new AttributionSummaryResponse(model, groupBy.Name(), channel, rows), AttributionJsonContext.Default.AttributionSummaryResponse);
        })
            .WithTags("Attribution").WithSummary("Attributed conversions, revenue, spend, ROAS and CPA per channel, source or campaign under one model")
            .Produces<AttributionSummaryResponse>().AlsoAsCsv()
            .WithQueryParameter("channel", AnalystQuery.Doc.Channel).WithQueryParameter("format", AnalystQuery.Doc.Format)
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();

        app.MapGet("/v1/attribution/compare", async (HttpContext context, IAttributionQueries queries, CancellationToken cancellationToken) =>
        {
            var workspace = context.Workspace();
            IResult? problem;
            if (!TryReadFilters(context.Request.Query, out var groupBy, out var from, out var to, out problem)) { return problem!; }
            if (!QueryOptions.TryRead(context.Request.Query, workspace, out var adHoc, out problem)) { return problem!; }
            var models = await queries.SummarizeAsync(workspace.Id, [.. AttributionModels.Names], groupBy, from, to, adHoc, null, cancellationToken);

            return TypedResults.Json(new AttributionCompareResponse(groupBy.Name(), models), AttributionJsonContext.Default.AttributionCompareResponse);
        })
            .WithTags("Attribution").WithSummary("The summary rows of every model side by side")
            .Produces<AttributionCompareResponse>().ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();

        app.MapGet("/v1/attribution/paths", async (HttpContext context, IAttributionQueries queries, CancellationToken cancellationToken) =>
        {
            var workspace = context.Workspace();
            IResult? problem;
            var query = context.Request.Query;
            var topText = query["top"].ToString();
            var top = 10;
            if (topText.Length > 0 && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1 || top > AttributionQueryLimits.MaxTopPaths))
            {
                return Bad("top", $"must be a whole number from 1 to {AttributionQueryLimits.MaxTopPaths}", "invalid_top");
            }

            if (!TryReadTime(query, "from", out var from, out problem) || !TryReadTime(query, "to", out var to, out problem)) { return problem!; }
            if (!AnalystQuery.TryChannel(query, out var channel, out problem) || !AnalystQuery.TryWantsCsv(context, out var csv, out problem)) { return problem!; }
            var rows = await queries.TopPathsAsync(workspace.Id, top, from, to, channel, cancellationToken);
            return csv
                ? AnalystQuery.Csv(PathsCsv(rows), "paths")
                : TypedResults.Json(new AttributionPathsResponse(rows), AttributionJsonContext.Default.AttributionPathsResponse);
        })
            .WithTags("Attribution").WithSummary("Most common converting paths (channel= only the paths through that channel)")
            .Produces<AttributionPathsResponse>().AlsoAsCsv()
            .WithQueryParameter("channel", "Only the paths through this channel (one of their steps). Absent or empty: every path.")
            .WithQueryParameter("format", AnalystQuery.Doc.Format)
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();

        app.MapGet("/v1/attribution/coverage", async (HttpContext context, IAttributionQueries queries, CancellationToken cancellationToken) =>
        {
            var workspace = context.Workspace();
            IResult? problem;
            var query = context.Request.Query;
            if (!TryReadTime(query, "from", out var from, out problem) || !TryReadTime(query, "to", out var to, out problem)) { return problem!; }
            var report = await queries.CoverageAsync(workspace.Id, from, to, cancellationToken);
            return TypedResults.Json(report, AttributionJsonContext.Default.CoverageReport);
        })
            .WithTags("Attribution").WithSummary("Checkout coverage: how many orders a visit explains, and why the others are not")
            .Produces<CoverageReport>().ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();

        app.MapPost("/v1/attribution/run", async (HttpContext context, IAttributionStore store, AttributionLease lease, CancellationToken cancellationToken) =>
        {
            var workspace = context.Workspace();
            await using var held = await lease.TryAcquireAsync(workspace.Id);
            if (held is null)
            {
                return Problems.From(new IngestError(409, "workspace", "a recompute of this workspace is already running; its results are read as soon as it finishes",
                    "recompute_running"));
            }

            var run = await store.RecomputeAsync(workspace.Id, WorkspaceAttribution.SettingsOf(workspace), null, cancellationToken);
            return TypedResults.Json(new AttributionRunResponse(run.Conversions, run.People), AttributionJsonContext.Default.AttributionRunResponse);
        })
            .WithTags("Attribution").WithSummary("Full recompute of the workspace now (409 while one is already running)")
            .Produces<AttributionRunResponse>().ProducesProblem(StatusCodes.Status409Conflict).RequireReadToken();
        return app;
    }

    /// <summary>The summary as a table, in the columns and order of the JSON rows (the report's campaigns table).</summary>
    private static CsvTable SummaryCsv(string groupBy, List<AttributionSummaryRow> rows)
    {
        var csv = new CsvTable(groupBy, "conversions", "revenue", "spend", "roas", "cpa");
        foreach (var row in rows) { csv.Text(row.Key).Number(row.Conversions).Number(row.Revenue).Number(row.Spend).Number(row.Roas).Number(row.Cpa); }
        return csv;
    }

    private static CsvTable PathsCsv(List<TopPathRow> rows)
    {
        var csv = new CsvTable("path", "touches", "conversions", "revenue");
        foreach (var row in rows) { csv.Text(row.Path).Number(row.Touches).Number(row.Conversions).Number(row.Revenue); }
        return csv;
    }

    private static bool TryReadFilters(IQueryCollection query, out AttributionGroupBy groupBy, out DateTime? from, out DateTime? to, out IResult? problem)
    {
        from = null;
        to = null;
        if (!TryReadGroupBy(query, out groupBy, out problem)) { return false; }
        if (!TryReadTime(query, "from", out from, out problem)) { return false; }
        return TryReadTime(query, "to", out to, out problem);
    }

    /// <summary>The <c>groupBy</c> query value of every attribution read (channel when absent), or its 400.</summary>
    internal static bool TryReadGroupBy(IQueryCollection query, out AttributionGroupBy groupBy, out IResult? problem)
    {
        problem = null;
        if (AttributionGroupings.TryParse(query["groupBy"].ToString(), out groupBy)) { return true; }
        var names = AttributionGroupings.Names;
        problem = Bad("groupBy", $"must be {string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}", "unknown_group_by");
        return false;
    }

    private static bool TryReadTime(IQueryCollection query, string field, out DateTime? value, out IResult? problem)
    {
        value = null;
        problem = null;
        var text = query[field].ToString();
        if (text.Length == 0) { return true; }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.UtcDateTime;
            return true;
        }

        problem = Bad(field, "must be an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z", "invalid_time");
        return false;
    }

    internal static IResult Bad(string field, string detail, string reason) => Problems.From(new IngestError(400, field, detail, reason));
}
