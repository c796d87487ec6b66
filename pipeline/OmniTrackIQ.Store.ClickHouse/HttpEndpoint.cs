using System.Data.Common;

namespace OmniTrackIQ.Store.ClickHouse;

/// <summary>The server's HTTP address and credentials from the connection string, for the requests the driver cannot make (external data).</summary>
internal sealed class HttpEndpoint(Uri baseUri, string? user, string? password)
{
    public Uri BaseUri { get; } = baseUri;

    public static HttpEndpoint From(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string? Value(params string[] keys) => keys.Select(k => builder.TryGetValue(k, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null)
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var protocol = Value("Protocol") ?? "http";
        var host = Value("Host") ?? "localhost";
        var port = Value("Port") ?? (protocol == "https" ? "8443" : "8123");
        return new HttpEndpoint(new Uri($"{protocol}://{host}:{port}/"), Value("Username", "User"), Value("Password"));
    }

    /// <summary>ClickHouse's credential headers.</summary>
    public void Authorize(HttpRequestMessage request)
    {
        if (user is null) { return; }
        request.Headers.Add("X-ClickHouse-User", user);
        if (password is not null) { request.Headers.Add("X-ClickHouse-Key", password); }
    }
}
