using System.Security.Cryptography;
using System.Text.Json;
using OmniTrackIQ.Pipeline.Files;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Workspaces;

/// <summary>
/// With no workspace configured, the collector creates a demo workspace once under the data
/// directory and prints its keys that one time; afterwards only hashes of the secrets remain.
/// </summary>
internal static class DemoWorkspace
{
    public static WorkspaceSettings LoadOrCreate(string dataDirectory, TextWriter console)
    {
        var path = Path.Combine(dataDirectory, "demo-workspace.json");
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CollectorJsonContext.Default.WorkspaceSettings)
                ?? throw new InvalidDataException($"{path} is empty");
        }

        var writeKey = "wk_" + Token();
        var secret = "sk_" + Token();
        var readToken = "rt_" + Token();
        var ws = new WorkspaceSettings
        {
            Id = "demo",
            WriteKey = writeKey,
            SecretKeySha256 = WorkspaceRegistry.Sha256Hex(secret),
            ReadTokenSha256 = [WorkspaceRegistry.Sha256Hex(readToken)],
            AllowedOrigins = ["http://localhost:3000", "http://127.0.0.1:8080"],
        };
        // The write key in it is in clear text: owner-only, like the folder when this creates it.
        PrivateFiles.CreateDirectory(dataDirectory);
        using (var file = PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, ws, CollectorJsonContext.Default.WorkspaceSettings);
        }

        console.WriteLine($"""
            OmniTrackIQ demo workspace created (shown once; saved hashed in {path}):
              workspace  demo
              write key  {writeKey}
              secret key {secret}
              read token {readToken}
            """);
        return ws;
    }

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
