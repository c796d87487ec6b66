namespace OmniTrackIQ.Pipeline.Ingest;

/// <summary>Page URL fallbacks for clients that send only a path and query (Segment's <c>path</c> and <c>search</c>).</summary>
internal static class PageUrls
{
    /// <summary><c>/shoes</c> + <c>?utm_source=x</c>: enough for campaign parsing, which reads the query; null without a path or query.</summary>
    public static string? FromPath(string? path, string? search)
    {
        if (path is null && search is null) { return null; }
        if (search is null) { return path; }
        var query = search.StartsWith('?') ? search : "?" + search;
        return (path ?? "/") + query;
    }
}
