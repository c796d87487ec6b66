using System.Globalization;
using Microsoft.Net.Http.Headers;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Pipeline.Analytics;
using OmniTrackIQ.Pipeline.Spend;

namespace OmniTrackIQ.Collector.Analytics;

/// <summary>
/// The query parameters the analyst routes share, each refusal a 400 naming the parameter: <c>from</c>/<c>to</c>
/// (ISO-8601 date or time, UTC when no offset; default the 30 days up to the end of today), <c>model</c>, <c>groupBy</c>,
/// <c>channel</c>, and whether the answer is CSV (<c>format=csv</c> or <c>Accept: text/csv</c>).
/// </summary>
internal static class AnalystQuery
{
    public const int DefaultDays = 30;

    /// <summary>What the API reference says of each parameter (<see cref="Docs.OpenApiQueryParameters"/>).</summary>
    public static class Doc
    {
        public const string From = "Start of the range, ISO-8601 date or time (UTC without an offset); default 30 days before `to`.";
        public const string To = "End of the range (exclusive); default the end of today (UTC).";
        public const string Model = "Attribution model (first, last, last_non_direct, linear, time_decay, position, w_shaped, markov, shapley); default linear.";
        public const string GroupBy = "channel (default), source or campaign.";
        public const string Channel = "Only this channel's share under the model: the credit the model gives that channel's touches " +
            "(the figure of its row in /v1/attribution/summary and the report's channel chart) and that channel's spend. On /v1/orders: " +
            "only the orders the model gives the channel any credit. Absent or empty: every channel.";
        public const string Format = "json (default) or csv; `Accept: text/csv` also asks for CSV.";
    }

    public static bool TryPeriod(HttpContext context, TimeProvider time, out Period period, out IResult? problem)
    {
        period = default;
        var query = context.Request.Query;
        if (!TryTime(query, "from", out var from, out problem) || !TryTime(query, "to", out var to, out problem)) { return false; }
        var end = to ?? time.GetUtcNow().UtcDateTime.Date.AddDays(1);
        var start = from ?? end.AddDays(-DefaultDays);
        if (start >= end)
        {
            problem = AttributionEndpoints.Bad("to", "must be after from", "invalid_range");
            return false;
        }

        if (end - start > Period.MaxLength)
        {
            problem = AttributionEndpoints.Bad("to", $"the range is longer than {Period.MaxLength.TotalDays:0} days", "range_too_long");
            return false;
        }

        period = new Period(start, end);
        return true;
    }

    public static bool TryModel(HttpContext context, out string model, out IResult? problem)
    {
        problem = null;
        model = context.Request.Query["model"].ToString();
        if (model.Length == 0) { model = "linear"; }
        if (AttributionModels.IsKnown(model)) { return true; }
        problem = AttributionEndpoints.Bad("model", "must be one of " + string.Join(", ", AttributionModels.Names), "unknown_model");
        return false;
    }

    public static bool TryGroupBy(HttpContext context, out AttributionGroupBy groupBy, out IResult? problem) =>
        AttributionEndpoints.TryReadGroupBy(context.Request.Query, out groupBy, out problem);

    /// <summary>
    /// <c>channel</c>: absent or empty is every channel; else a channel name as the attribution summary keys it (a GA4
    /// channel group, a spend row's own channel, or <c>(none)</c>), so at most <see cref="SpendLimits.MaxNameLength"/>
    /// characters, without control characters or surrounding spaces (names are stored trimmed).
    /// </summary>
    public static bool TryChannel(IQueryCollection query, out string? channel, out IResult? problem)
    {
        problem = null;
        var text = query["channel"].ToString();
        channel = text.Length == 0 ? null : text;
        if (channel is null) { return true; }
        if (channel.Length > SpendLimits.MaxNameLength || channel.Trim().Length != channel.Length || channel.Any(char.IsControl))
        {
            channel = null;
            problem = AttributionEndpoints.Bad("channel", $"must be a channel name (e.g. Paid Search, Email) of at most {SpendLimits.MaxNameLength} characters, " +
                "without control characters or surrounding spaces", "invalid_channel");
            return false;
        }

        return true;
    }

    /// <summary><c>format=csv</c>, or an Accept header that names text/csv (format=json wins over the header).</summary>
    public static bool TryWantsCsv(HttpContext context, out bool csv, out IResult? problem)
    {
        problem = null;
        var format = context.Request.Query["format"].ToString();
        if (format.Length > 0)
        {
            csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
            if (csv || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) { return true; }
            problem = AttributionEndpoints.Bad("format", "must be json or csv", "unknown_format");
            return false;
        }

        csv = false;
        foreach (var accept in context.Request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase)) { csv = true; }
        }

        return true;
    }

    /// <summary>A CSV answer; the file name lets a browser save it as what it is.</summary>
    public static IResult Csv(CsvTable table, string name) =>
        new CsvResult(table.ToString(), name);

    private static bool TryTime(IQueryCollection query, string field, out DateTime? value, out IResult? problem)
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

        problem = AttributionEndpoints.Bad(field, "must be an ISO-8601 date or time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z", "invalid_time");
        return false;
    }

    private sealed class CsvResult(string text, string name) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = CsvTable.ContentType;
            httpContext.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"{name}.csv\"";
            return httpContext.Response.WriteAsync(text, httpContext.RequestAborted);
        }
    }
}
