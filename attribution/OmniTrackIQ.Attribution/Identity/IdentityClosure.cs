namespace OmniTrackIQ.Attribution.Identity;

/// <summary>
/// The identity components of a few keys, gathered from a store round by round instead of reading every link of the
/// workspace: each round asks for the links of the keys not asked yet (<see cref="Pending"/>) and <see cref="Add"/>s
/// them; a link's other end not asked yet is asked next round. When nothing is pending, every link of every component
/// the seeds belong to has been read, so <see cref="Resolve"/> gives each of them the person and first-identify time
/// that <see cref="PersonResolver.FromLinks"/> over all links would (a person is named by its smallest key: the name
/// depends on the component only). A store that keeps its people (DuckDB's <c>identity_people</c>) answers with a
/// whole stored component at once, so the rounds are two or three; one without follows the links hop by hop.
/// </summary>
public sealed class IdentityClosure
{
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly HashSet<IdentityLink> _links = [];
    private List<string> _pending;

    public IdentityClosure(IEnumerable<string> seeds)
    {
        _pending = [.. seeds.Where(k => k.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Keys whose links have not been asked for yet (empty once the components are closed).</summary>
    public IReadOnlyList<string> Pending => _pending;

    /// <summary>Every key asked for so far.</summary>
    public IReadOnlyCollection<string> Asked => _asked;

    /// <summary>
    /// Records the store's answer for <see cref="Pending"/> (the links touching those keys, and any more of their
    /// components): the pending keys become those the links name that were never asked.
    /// </summary>
    public void Add(IEnumerable<IdentityLink> links)
    {
        foreach (var key in _pending) { _asked.Add(key); }
        var next = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links)
        {
            if (!_links.Add(link)) { continue; }
            if (!_asked.Contains(link.IdKey)) { next.Add(link.IdKey); }
            if (!_asked.Contains(link.PersonKey)) { next.Add(link.PersonKey); }
        }

        _pending = [.. next.Order(StringComparer.Ordinal)];
    }

    /// <summary>The people of the gathered components (<see cref="PersonResolver.FromLinks"/>); only once nothing is pending.</summary>
    public PersonResolver Resolve(out Dictionary<string, long> leadMs)
    {
        if (_pending.Count > 0) { throw new InvalidOperationException("Keys are still pending: the components are not closed yet."); }
        return PersonResolver.FromLinks(_links, out leadMs);
    }
}
