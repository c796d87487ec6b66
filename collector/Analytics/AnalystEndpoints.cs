using System.Globalization;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Collector.Analytics;
using OmniTrackIQ.Collector.Docs;
using OmniTrackIQ.Collector.Workspaces;
using OmniTrackIQ.Pipeline.Analytics;

// In the Hosting namespace so Program picks MapAnalyst up without a new using.
namespace OmniTrackIQ.Collector.Hosting;

/// <summary>
/// What the analyst's dashboard reads (read token): <c>GET /v1/metrics/summary</c>, <c>GET /v1/metrics/daily</c> and
/// <c>GET /v1/orders</c>, each also as CSV. The handlers only fetch: orders come from <see cref="IOrderListQueries"/>,
/// attributed revenue and spend from the attribution summary of the store; the rules are the pure
/// <see cref="MetricsSummary"/>, <see cref="DailySeries"/> and <see cref="OrderPage"/>. Each takes <c>channel</c>: that
/// channel's share under the model, i.e. what the model credits to its touches (the channel chart's figure) and its spend;
/// the orders list keeps the orders the model gives it any credit.
/// </summary>
internal static class AnalystEndpoints
{
    public static IEndpointRouteBuilder MapAnalyst(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/metrics/summary", SummaryAsync)
            .WithTags("Analyst").WithSummary("KPIs of a range and of the previous range of the same length: net revenue, orders, AOV, spend, ROAS, CPA, profit after ad spend, new vs returning customers (channel= that channel's attributed share)")
            .Produces<MetricsComparison>().AlsoAsCsv()
            .WithQueryParameter("from", AnalystQuery.Doc.From).WithQueryParameter("to", AnalystQuery.Doc.To).WithQueryParameter("model", AnalystQuery.Doc.Model)
            .WithQueryParameter("channel", AnalystQuery.Doc.Channel).WithQueryParameter("format", AnalystQuery.Doc.Format)
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();
        app.MapGet("/v1/metrics/daily", DailyAsync)
            .WithTags("Analyst").WithSummary("Per day: attributed revenue and spend per channel, source or campaign under one model (key= keeps one group, channel= only that channel's credit and spend)")
            .Produces<DailyResponse>().AlsoAsCsv()
            .WithQueryParameter("from", AnalystQuery.Doc.From).WithQueryParameter("to", AnalystQuery.Doc.To).WithQueryParameter("model", AnalystQuery.Doc.Model)
            .WithQueryParameter("groupBy", AnalystQuery.Doc.GroupBy).WithQueryParameter("key", "Only this group (a channel, source or campaign name as groupBy keys it).")
            .WithQueryParameter("channel", AnalystQuery.Doc.Channel).WithQueryParameter("format", AnalystQuery.Doc.Format)
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();
        app.MapGet("/v1/orders", OrdersAsync)
            .WithTags("Orders").WithSummary("A page of orders, newest first: time, gross, net, status, sources, first- and last-touch channel, path (keyset pagination by cursor; channel= only orders the model credits to it)")
            .Produces<OrderPage>().AlsoAsCsv()
            .WithQueryParameter("from", AnalystQuery.Doc.From).WithQueryParameter("to", AnalystQuery.Doc.To)
            .WithQueryParameter("limit", $"Orders per page, 1 to {OrderPage.MaxLimit}; default {OrderPage.DefaultLimit}.")
            .WithQueryParameter("cursor", "The nextCursor of the previous page (CSV: its X-Next-Cursor header).")
            .WithQueryParameter("channel", AnalystQuery.Doc.Channel).WithQueryParameter("model", AnalystQuery.Doc.Model + " Used with channel.")
            .WithQueryParameter("format", AnalystQuery.Doc.Format)
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireReadToken();
        return app;
    }

    private static async Task<IResult> SummaryAsync(HttpContext context, IOrderListQueries orders, IAttributionQueries attribution, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (!AnalystQuery.TryPeriod(context, time, out var period, out var problem) || !AnalystQuery.TryModel(context, out var model, out problem)
            || !AnalystQuery.TryChannel(context.Request.Query, out var channel, out problem) || !AnalystQuery.TryWantsCsv(context, out var csv, out problem))
        {
            return problem!;
        }

        var current = new MetricsSummary(period);
        var previous = new MetricsSummary(period.Previous);
        // One read of both periods: they are adjacent. With a channel, the orders credited to it (its customers).
        var credited = channel is null ? null : new CreditFilter(channel, model);
        await orders.ReadAsync(workspace.Id, period.Previous.From, period.To, credited, null, null, row =>
        {
            current.Add(row);
            previous.Add(row);
        }, cancellationToken);
        var now = await ChannelSummaryAsync(attribution, workspace.Id, model, period, channel, cancellationToken);
        var before = await ChannelSummaryAsync(attribution, workspace.Id, model, period.Previous, channel, cancellationToken);
        var comparison = channel is null
            ? MetricsComparison.Of(model, null, period, current.Result(now.Spend, now.Revenue), previous.Result(before.Spend, before.Revenue))
            : MetricsComparison.Of(model, channel, period, current.ChannelResult(now.Conversions, now.Revenue, now.Spend),
                previous.ChannelResult(before.Conversions, before.Revenue, before.Spend));
        return csv
            ? AnalystQuery.Csv(comparison.ToCsv(), "summary")
            : TypedResults.Json(comparison, AnalystJsonContext.Default.MetricsComparison);
    }

    private static async Task<IResult> DailyAsync(HttpContext context, IAttributionQueries attribution, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (!AnalystQuery.TryPeriod(context, time, out var period, out var problem) || !AnalystQuery.TryModel(context, out var model, out problem)
            || !AnalystQuery.TryGroupBy(context, out var groupBy, out problem) || !AnalystQuery.TryChannel(context.Request.Query, out var channel, out problem)
            || !AnalystQuery.TryWantsCsv(context, out var csv, out problem))
        {
            return problem!;
        }

        var key = context.Request.Query["key"].ToString();
        var only = key.Length == 0 ? null : key;
        // One read of every day's summary rows (each day's are what the attribution summary answers for that day);
        // every day of the range gets its total, with or without rows.
        var rows = await attribution.SummarizeDailyAsync(workspace.Id, model, groupBy, period.From, period.To, channel, cancellationToken);
        var byDay = rows.ToLookup(r => r.Date);
        var series = new DailySeries();
        foreach (var (day, _) in period.Days())
        {
            series.AddDay(day, byDay[day].Select(r => new DailyGroupRow(day, r.Row.Key, r.Row.Conversions, r.Row.Revenue, r.Row.Spend, r.Row.Roas)), only);
        }

        return csv
            ? AnalystQuery.Csv(series.ToCsv(), "daily")
            : TypedResults.Json(new DailyResponse(model, groupBy.Name(), only, channel, period.From, period.To, series.Totals, series.Rows), AnalystJsonContext.Default.DailyResponse);
    }

    private static async Task<IResult> OrdersAsync(HttpContext context, IOrderListQueries orders, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace();
        if (!AnalystQuery.TryPeriod(context, time, out var period, out var problem) || !AnalystQuery.TryModel(context, out var model, out problem)
            || !AnalystQuery.TryChannel(context.Request.Query, out var channel, out problem) || !AnalystQuery.TryWantsCsv(context, out var csv, out problem))
        {
            return problem!;
        }

        var query = context.Request.Query;
        var limit = OrderPage.DefaultLimit;
        var limitText = query["limit"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > OrderPage.MaxLimit))
        {
            return AttributionEndpoints.Bad("limit", $"must be a whole number from 1 to {OrderPage.MaxLimit}", "invalid_limit");
        }

        OrderCursor? after = null;
        var cursorText = query["cursor"].ToString();
        if (cursorText.Length > 0)
        {
            if (!OrderCursor.TryDecode(cursorText, out var cursor)) { return AttributionEndpoints.Bad("cursor", "is not a cursor this API gave out (nextCursor)", "invalid_cursor"); }
            after = cursor;
        }

        var rows = new List<OrderListRow>(limit + 1);
        var credited = channel is null ? null : new CreditFilter(channel, model);
        await orders.ReadAsync(workspace.Id, period.From, period.To, credited, after, limit + 1, rows.Add, cancellationToken);
        var page = OrderPage.From(rows, limit);
        if (!csv) { return TypedResults.Json(page, AnalystJsonContext.Default.OrderPage); }
        if (page.NextCursor is not null) { context.Response.Headers["X-Next-Cursor"] = page.NextCursor; }
        return AnalystQuery.Csv(page.ToCsv(), "orders");
    }

    /// <summary>
    /// Shop-currency spend, the model's credited conversions and attributed revenue of a range: the channel summary's
    /// totals, or its one row of <paramref name="channel"/> (the figure the channel chart draws).
    /// </summary>
    private static async Task<(double Spend, double Conversions, double Revenue)> ChannelSummaryAsync(IAttributionQueries attribution, string workspace,
        string model, Period period, string? channel, CancellationToken cancellationToken)
    {
        var rows = (await attribution.SummarizeAsync(workspace, [model], AttributionGroupBy.Channel, period.From, period.To, null, channel, cancellationToken))[model];
        double spend = 0, conversions = 0, revenue = 0;
        foreach (var row in rows)
        {
            spend += row.Spend ?? 0;
            conversions += row.Conversions;
            revenue += row.Revenue;
        }

        return (spend, conversions, revenue);
    }
}
