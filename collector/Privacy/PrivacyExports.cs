namespace OmniTrackIQ.Collector.Privacy;

/// <summary>
/// Where data-request exports are kept: <c>{DataDirectory}/privacy-exports/{workspace}/{requestId}.json</c>, written
/// whole to a temporary name and then renamed, so a reader never sees half a file. The shop's operator fetches one with
/// <c>GET /v1/privacy/exports/{requestId}</c> (secret key) and hands it to the customer; deleting it is theirs to do.
/// </summary>
internal sealed class PrivacyExports(string dataDirectory)
{
    /// <summary>Shopify's data_request ids are integers; operators may name theirs. Nothing that could walk out of the folder.</summary>
    private const int MaxIdLength = 64;

    public string Directory { get; } = Path.Combine(dataDirectory, "privacy-exports");

    public static bool IsValidId(string id)
    {
        if (id.Length is 0 or > MaxIdLength) { return false; }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) { return false; }
        }

        return true;
    }

    public async Task<string> WriteAsync(string workspace, string requestId, byte[] json, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Directory, workspace);
        System.IO.Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, requestId + ".json");
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, json, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>The export's bytes, or null when there is none under that id for the workspace.</summary>
    public async Task<byte[]?> ReadAsync(string workspace, string requestId, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, workspace, requestId + ".json");
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }
}
