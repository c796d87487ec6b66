namespace OmniTrackIQ.Attribution.Identity;

/// <summary>
/// Identity stitching as a union-find over person keys (<see cref="IdentityKeys"/>: <c>a:</c> anonymous id,
/// <c>u:</c> user id, <c>e:</c> e-mail hash; the prefixes keep the id spaces apart). A component is named by its smallest key
/// (ordinal), so the same links always give the same person names whatever order they are read in — the
/// incremental worker relies on that to find rows written under a person's earlier name. Every store builds
/// one from its <c>identity_links</c> rows with <see cref="FromLinks"/>.
/// </summary>
public sealed class PersonResolver
{
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

    /// <summary>Keys the resolver has seen (linked keys and keys looked up).</summary>
    public IEnumerable<string> Keys => _parent.Keys;

    public void Link(string a, string b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA == rootB) { return; }
        if (string.CompareOrdinal(rootA, rootB) < 0) { _parent[rootB] = rootA; }
        else { _parent[rootA] = rootB; }
    }

    /// <summary>Root of <paramref name="key"/> (a new key is its own root). Iterative, so long chains cannot overflow the stack.</summary>
    public string Find(string key)
    {
        if (!_parent.TryGetValue(key, out var parent)) { _parent[key] = key; return key; }
        var root = key;
        while (parent != root)
        {
            root = parent;
            parent = _parent[root];
        }

        // Path compression: point every key on the way at the root.
        while (key != root)
        {
            var next = _parent[key];
            _parent[key] = root;
            key = next;
        }

        return root;
    }

    /// <summary>
    /// Unions every link of a workspace; <paramref name="leadMs"/> gets, per person, the time (epoch ms) of their
    /// first identify — the W-shaped lead-creation moment — from the links an identify showed.
    /// </summary>
    public static PersonResolver FromLinks(IEnumerable<IdentityLink> links, out Dictionary<string, long> leadMs)
    {
        var people = new PersonResolver();
        var identifies = new List<(string Key, long FirstSeenMs)>();
        foreach (var link in links) { people.Add(link, identifies); }
        leadMs = people.Leads(identifies);
        return people;
    }

    /// <summary>
    /// <see cref="FromLinks"/> over a store's stream: each link is unioned as it arrives, so a full run never holds every
    /// link of the workspace at once (1.5M keys' links at 1M conversions) beside the resolver they make.
    /// </summary>
    public static async Task<(PersonResolver People, Dictionary<string, long> LeadMs)> FromLinksAsync(IAsyncEnumerable<IdentityLink> links,
        CancellationToken cancellationToken)
    {
        var people = new PersonResolver();
        var identifies = new List<(string Key, long FirstSeenMs)>();
        await foreach (var link in links.WithCancellation(cancellationToken)) { people.Add(link, identifies); }
        return (people, people.Leads(identifies));
    }

    private void Add(IdentityLink link, List<(string Key, long FirstSeenMs)> identifies)
    {
        Link(link.IdKey, link.PersonKey);
        if (link.Source == "identify") { identifies.Add((link.IdKey, link.FirstSeenMs)); }
    }

    private Dictionary<string, long> Leads(List<(string Key, long FirstSeenMs)> identifies)
    {
        var leadMs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, firstSeenMs) in identifies)
        {
            var person = Find(key);
            if (!leadMs.TryGetValue(person, out var known) || firstSeenMs < known) { leadMs[person] = firstSeenMs; }
        }

        return leadMs;
    }

    /// <summary>Every key whose person is in <paramref name="roots"/> (a person's stored rows may carry any of its keys as an earlier name).</summary>
    public List<string> KeysOf(IReadOnlySet<string> roots)
    {
        var keys = new List<string>(roots);
        foreach (var key in _parent.Keys.ToArray())
        {
            if (!roots.Contains(key) && roots.Contains(Find(key))) { keys.Add(key); }
        }

        return keys;
    }
}
