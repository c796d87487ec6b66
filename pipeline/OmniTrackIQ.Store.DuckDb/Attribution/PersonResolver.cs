namespace OmniTrackIQ.Store.DuckDb.Attribution;

/// <summary>
/// Simple identity stitching with a union-find: anonymous ids that share a user id or an e-mail hash
/// are one person. Keys are prefixed ("a:", "u:", "e:") so the id spaces cannot collide.
/// </summary>
internal sealed class PersonResolver
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

    /// <summary>Links the identifiers seen together on one event; returns that event's person key.</summary>
    public string Link(string? anonymousId, string? userId, string? emailSha256)
    {
        string? first = null;
        foreach (var key in Keys(anonymousId, userId, emailSha256))
        {
            if (first is null) { first = key; Find(key); }
            else { Union(first, key); }
        }

        return first ?? "a:";
    }

    /// <summary>The person (root key) of an event, after all events have been linked.</summary>
    public string PersonOf(string? anonymousId, string? userId, string? emailSha256)
    {
        foreach (var key in Keys(anonymousId, userId, emailSha256)) { return Find(key); }
        return "a:";
    }

    private static IEnumerable<string> Keys(string? anonymousId, string? userId, string? emailSha256)
    {
        if (!string.IsNullOrEmpty(anonymousId)) { yield return "a:" + anonymousId; }
        if (!string.IsNullOrEmpty(userId)) { yield return "u:" + userId; }
        if (!string.IsNullOrEmpty(emailSha256)) { yield return "e:" + emailSha256; }
    }

    private string Find(string key)
    {
        if (!_parent.TryGetValue(key, out var parent)) { _parent[key] = key; return key; }
        if (parent == key) { return key; }
        var root = Find(parent);
        _parent[key] = root; // path compression
        return root;
    }

    private void Union(string a, string b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA != rootB) { _parent[rootB] = rootA; }
    }
}
