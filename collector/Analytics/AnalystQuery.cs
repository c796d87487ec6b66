using System.Globalization;
using Microsoft.Net.Http.Headers;
using OmniTrackIQ.Attribution.Storage;
using OmniTrackIQ.Collector.Attribution;
using OmniTrackIQ.Pipeline.Analytics;

namespace OmniTrackIQ.Collector.Analytics;

/// <summary>
/// The query parameters the analyst routes share, each refusal a 400 naming the parameter: <c>from</c>/<c>to</c>
/// (ISO-8601 date or time, UTC when no offset; default the 30 days up to the end of today), <c>model</c>, <c>groupBy</c>,
/// and whether the answer is CSV (<c>format=csv</c> or <c>Accept: text/csv</c>).
/// </summary>
internal static class AnalystQuery
{
    public const int DefaultDays = 30;

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
