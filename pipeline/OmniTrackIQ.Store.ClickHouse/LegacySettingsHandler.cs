using System.Web;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>
/// Removes the JSON-as-string settings ClickHouse.Driver adds to every request's query string. Servers older
/// than the JSON type (18.16 here) refuse any request naming a setting they do not know, whatever the query.
/// The store never reads or writes JSON-typed columns, so the settings have nothing to do on any server; they
/// are still only removed where needed, to leave the driver's requests to current servers untouched.
/// </summary>
internal sealed class LegacySettingsHandler : DelegatingHandler
{
    internal static readonly string[] JsonAsStringSettings =
        ["output_format_binary_write_json_as_string", "input_format_binary_read_json_as_string"];

    /// <summary>
    /// What old servers get without: the JSON settings, and the driver's <c>default_format</c>
    /// (RowBinaryWithNamesAndTypes, unknown to 18.16, which applies it even to an <c>INSERT … SELECT</c>). Every read
    /// of the store names its format (JSONEachRow), so the default has nothing to do there.
    /// </summary>
    internal static readonly string[] StrippedSettings = [.. JsonAsStringSettings, "default_format"];

    // Until the version is known, strip: the first request (the version probe) must answer on old servers too,
    // and a current server reads both settings' defaults the same as the driver's values for our queries.
    private volatile bool _strip = true;

    /// <summary>Set once the server's version is known.</summary>
    public bool StripSettings
    {
        get => _strip;
        set => _strip = value;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_strip && request.RequestUri is { } uri && RemoveSettings(uri) is { } stripped) { request.RequestUri = stripped; }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>The URI without the settings, or null when it named none of them.</summary>
    internal static Uri? RemoveSettings(Uri uri)
    {
        if (!StrippedSettings.Any(s => uri.Query.Contains(s, StringComparison.Ordinal))) { return null; }
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var setting in StrippedSettings) { query.Remove(setting); }
        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }
}
