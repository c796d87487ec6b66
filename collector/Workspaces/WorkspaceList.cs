using Microsoft.Extensions.Options;
using OmniTrackIQ.Pipeline.Workspaces;

namespace OmniTrackIQ.Collector.Workspaces;

/// <summary>
/// The workspaces as configured under <c>OmniTrack:Workspaces</c> (or the demo workspace when none is), as an options
/// object so that <see cref="WorkspaceListValidation"/> checks them when the host starts (ValidateOnStart).
/// </summary>
public sealed class WorkspaceList
{
    public const string Section = "OmniTrack:Workspaces";

    public List<WorkspaceSettings> Items { get; set; } = [];
}

/// <summary>
/// Refuses a configuration in which two entries share an Id, a WriteKey, a SecretKeySha256 or a ReadTokenSha256:
/// the registry would silently let the later entry win, so a copied block would send one shop's events (or one
/// analyst's reads) to another. The message names both entries by position and id, never the key itself.
/// </summary>
public sealed class WorkspaceListValidation : IValidateOptions<WorkspaceList>
{
    public ValidateOptionsResult Validate(string? name, WorkspaceList options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Failures(options.Items);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem of the list, one sentence each, in configuration order.</summary>
    public static List<string> Failures(IReadOnlyList<WorkspaceSettings> workspaces)
    {
        ArgumentNullException.ThrowIfNull(workspaces);
        var failures = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var writeKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var secretKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var readTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < workspaces.Count; i++)
        {
            var ws = workspaces[i];
            if (string.IsNullOrWhiteSpace(ws.Id) || string.IsNullOrWhiteSpace(ws.WriteKey))
            {
                failures.Add($"{Entry(workspaces, i)} needs an Id and a WriteKey");
                continue;
            }

            Claim(ids, ws.Id, i, "Id", workspaces, failures);
            Claim(writeKeys, ws.WriteKey, i, "WriteKey", workspaces, failures);
            if (!string.IsNullOrWhiteSpace(ws.SecretKeySha256)) { Claim(secretKeys, ws.SecretKeySha256.ToLowerInvariant(), i, "SecretKeySha256", workspaces, failures); }
            // A hash listed twice in one entry grants the same workspace twice: harmless, so only other entries count.
            foreach (var hash in ws.ReadTokenSha256.Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
            {
                Claim(readTokens, hash, i, "ReadTokenSha256", workspaces, failures);
            }
        }

        return failures;
    }

    private static void Claim(Dictionary<string, int> seen, string value, int index, string field, IReadOnlyList<WorkspaceSettings> workspaces, List<string> failures)
    {
        if (seen.TryAdd(value, index)) { return; }
        failures.Add($"{Entry(workspaces, seen[value])} and {Entry(workspaces, index)} have the same {field}; each workspace needs its own");
    }

    private static string Entry(IReadOnlyList<WorkspaceSettings> workspaces, int index) =>
        $"{WorkspaceList.Section}:{index} (Id '{workspaces[index].Id}')";
}
