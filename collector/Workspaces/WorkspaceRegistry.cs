using System.Security.Cryptography;
using System.Text;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Workspaces;

/// <summary>Looks workspaces up by write key, secret key or read token. Keys other than the write key are compared by SHA-256.</summary>
public sealed class WorkspaceRegistry
{
    private readonly Dictionary<string, WorkspaceSettings> _byWriteKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceSettings> _byReadTokenHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceSettings> _bySecretKeyHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkspaceSettings> _byId = new(StringComparer.Ordinal);

    public WorkspaceRegistry(IEnumerable<WorkspaceSettings> workspaces)
    {
        foreach (var ws in workspaces)
        {
            if (string.IsNullOrWhiteSpace(ws.Id) || string.IsNullOrWhiteSpace(ws.WriteKey))
            {
                throw new InvalidOperationException("every workspace needs an Id and a WriteKey (OmniTrack:Workspaces)");
            }

            _byId[ws.Id] = ws;
            _byWriteKey[ws.WriteKey] = ws;
            foreach (var hash in ws.ReadTokenSha256) { _byReadTokenHash[hash.ToLowerInvariant()] = ws; }
            if (!string.IsNullOrWhiteSpace(ws.SecretKeySha256)) { _bySecretKeyHash[ws.SecretKeySha256.ToLowerInvariant()] = ws; }
            foreach (var origin in ws.AllowedOrigins) { AllOrigins.Add(origin.TrimEnd('/')); }
        }
    }

    /// <summary>Union of every workspace's browser origins (CORS preflights do not say which workspace they are for).</summary>
    public HashSet<string> AllOrigins { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<WorkspaceSettings> All => _byId.Values;

    public WorkspaceSettings? ById(string? id) => id is not null && _byId.TryGetValue(id, out var ws) ? ws : null;

    public WorkspaceSettings? ByWriteKey(string? key) => key is not null && _byWriteKey.TryGetValue(key, out var ws) ? ws : null;

    public WorkspaceSettings? ByReadToken(string? token) =>
        token is not null && _byReadTokenHash.TryGetValue(Sha256Hex(token), out var ws) ? ws : null;

    public WorkspaceSettings? BySecretKey(string? key) =>
        key is { Length: > 0 } && _bySecretKeyHash.TryGetValue(Sha256Hex(key), out var ws) ? ws : null;

    public static string Sha256Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
