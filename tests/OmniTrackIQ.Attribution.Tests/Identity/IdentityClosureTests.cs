using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Attribution.Tests.Identity;

/// <summary>
/// The identity graph kept between runs: a tick that reads only its people's components (<see cref="IdentityClosure"/>)
/// and stores their rows (<see cref="PersonMap"/>) must leave what a full recompute over every link leaves.
/// </summary>
public sealed class IdentityClosureTests
{
    private static readonly string[] Keys = ["a:1", "a:2", "e:1", "u:1", "u:2"];

    /// <summary>Every link between two of <see cref="Keys"/> (10), as the id key (the smaller) to the other.</summary>
    private static readonly (string From, string To)[] Pairs =
        [.. Keys.SelectMany((a, i) => Keys.Skip(i + 1).Select(b => (a, b)))];

    [Fact]
    public void Every_graph_of_five_keys_split_every_way_into_stored_and_new_links_keeps_what_a_full_recompute_keeps()
    {
        // Each of the 10 possible links is absent, stored already, or new in this tick: all 3^10 cases, for both kinds of store.
        var cases = 0;
        for (var code = 0; code < 59_049; code++)
        {
            var (stored, fresh) = Split(code);
            var all = stored.Concat(fresh).ToList();
            var expected = PersonMap.Rows(PersonResolver.FromLinks(all, out var expectedLead), AllKeys(all));

            var storedMap = PersonMap.Rows(PersonResolver.FromLinks(stored, out _), AllKeys(stored)).ToDictionary(r => r.Key, r => r.Person, StringComparer.Ordinal);
            // A tick's seeds are the keys of its events: a new link's id key is its event's key.
            var seeds = fresh.Select(l => l.IdKey).ToList();
            foreach (var keepsPeople in new[] { true, false })
            {
                var closure = Close(seeds, all, keepsPeople ? storedMap : null);
                var people = closure.Resolve(out var lead);
                var scope = people.KeysOf(seeds.Select(people.Find).ToHashSet(StringComparer.Ordinal));
                var map = new Dictionary<string, string>(storedMap, StringComparer.Ordinal);
                foreach (var key in scope) { map.Remove(key); }
                foreach (var (key, person) in PersonMap.Rows(people, scope)) { map[key] = person; }

                Assert.Equal(expected, map.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, r.Value)));
                foreach (var (person, ms) in lead) { Assert.Equal(expectedLead[person], ms); }
                Assert.Equal(scope.Select(people.Find).Distinct().Count(p => expectedLead.ContainsKey(p)), lead.Count);
            }

            cases++;
        }

        Assert.Equal(59_049, cases);
    }

    [Fact]
    public void A_new_link_between_two_stored_people_merges_both_whole_under_the_smaller_name()
    {
        IdentityLink[] stored = [new("a:1", "u:1", "identify", 10), new("a:2", "u:2", "identify", 5), new("a:3", "u:2", "page", 1)];
        var map = Map(stored);
        Assert.Equal(new Dictionary<string, string> { ["u:1"] = "a:1", ["a:3"] = "a:2", ["u:2"] = "a:2" }, map);

        IdentityLink[] all = [.. stored, new("a:3", "u:1", "identify", 20)];
        var closure = Close(["a:3"], all, map);
        var people = closure.Resolve(out var lead);
        Assert.Equal(["a:1", "a:2", "a:3", "u:1", "u:2"], people.KeysOf(new HashSet<string> { people.Find("a:3") }).Order(StringComparer.Ordinal));
        Assert.Equal([("a:2", "a:1"), ("a:3", "a:1"), ("u:1", "a:1"), ("u:2", "a:1")], PersonMap.Rows(people, ["a:1", "a:2", "a:3", "u:1", "u:2"]));
        Assert.Equal(new Dictionary<string, long> { ["a:1"] = 5 }, lead); // the earliest identify of either old person
    }

    [Fact]
    public void A_link_inside_one_person_changes_nobody_and_reads_only_that_person()
    {
        IdentityLink[] stored = [new("a:1", "u:1", "identify", 10), new("a:2", "u:1", "identify", 5), new("a:9", "u:9", "identify", 1)];
        IdentityLink[] all = [.. stored, new("a:2", "e:1", "conversion", 30), new("a:1", "e:1", "conversion", 40)];
        var closure = Close(["a:1", "a:2"], all, Map(stored));
        var people = closure.Resolve(out _);
        Assert.DoesNotContain("a:9", closure.Asked);
        Assert.Equal([("a:2", "a:1"), ("e:1", "a:1"), ("u:1", "a:1")], PersonMap.Rows(people, people.Keys.ToList()));
    }

    [Fact]
    public void A_chain_followed_hop_by_hop_without_a_kept_map_reaches_its_far_end()
    {
        var chain = Enumerable.Range(0, 40).Select(i => new IdentityLink($"u:{i + 1:D2}", $"u:{i:D2}", "alias", i)).ToList();
        var rounds = 0;
        var closure = new IdentityClosure(["u:40"]);
        while (closure.Pending.Count > 0)
        {
            rounds++;
            closure.Add(chain.Where(l => closure.Pending.Contains(l.IdKey) || closure.Pending.Contains(l.PersonKey)).ToList());
        }

        Assert.Equal(41, rounds);
        Assert.Equal("u:00", closure.Resolve(out _).Find("u:40"));
    }

    [Fact]
    public void A_key_seen_first_in_a_new_event_is_its_own_person_until_a_link_names_it()
    {
        var closure = Close(["a:new"], [new("a:1", "u:1", "identify", 0)], new Dictionary<string, string> { ["u:1"] = "a:1" });
        var people = closure.Resolve(out var lead);
        Assert.Equal("a:new", people.Find("a:new"));
        Assert.Empty(lead);
        Assert.Empty(PersonMap.Rows(people, ["a:new"]));
    }

    [Fact]
    public void Resolving_before_the_components_are_closed_is_refused_and_empty_seeds_close_at_once()
    {
        var open = new IdentityClosure(["a:1"]);
        Assert.Throws<InvalidOperationException>(() => open.Resolve(out _));
        var none = new IdentityClosure(["", ""]);
        Assert.Empty(none.Pending);
        Assert.Empty(none.Resolve(out _).Keys);
    }

    [Fact]
    public void Map_rows_name_only_keys_that_are_not_their_own_person_each_once_in_order()
    {
        var people = PersonResolver.FromLinks([new("u:2", "a:9", "identify", 0), new("u:2", "e:1", "page", 0)], out _);
        Assert.Equal([("e:1", "a:9"), ("u:2", "a:9")], PersonMap.Rows(people, ["u:2", "a:9", "e:1", "u:2", "a:0"]));
    }

    /// <summary>Runs the rounds against a store: with a kept map it answers whole stored components, without one the links naming the keys.</summary>
    private static IdentityClosure Close(IEnumerable<string> seeds, IReadOnlyList<IdentityLink> links, IReadOnlyDictionary<string, string>? map)
    {
        var closure = new IdentityClosure(seeds);
        for (var round = 0; closure.Pending.Count > 0; round++)
        {
            Assert.True(round < 10, "the rounds must end");
            var asked = closure.Pending.ToHashSet(StringComparer.Ordinal);
            if (map is not null)
            {
                var people = asked.Select(k => map.GetValueOrDefault(k, k)).ToHashSet(StringComparer.Ordinal);
                asked.UnionWith(people);
                asked.UnionWith(map.Where(r => people.Contains(r.Value)).Select(r => r.Key));
            }

            closure.Add(links.Where(l => asked.Contains(l.IdKey) || asked.Contains(l.PersonKey)).ToList());
        }

        return closure;
    }

    private static Dictionary<string, string> Map(IReadOnlyList<IdentityLink> links) =>
        PersonMap.Rows(PersonResolver.FromLinks(links, out _), AllKeys(links)).ToDictionary(r => r.Key, r => r.Person, StringComparer.Ordinal);

    private static List<string> AllKeys(IEnumerable<IdentityLink> links) => [.. links.SelectMany(l => new[] { l.IdKey, l.PersonKey }).Distinct()];

    /// <summary>Case <paramref name="code"/> in base 3: per pair, 0 absent, 1 stored, 2 new; identify times differ per pair.</summary>
    private static (List<IdentityLink> Stored, List<IdentityLink> Fresh) Split(int code)
    {
        var stored = new List<IdentityLink>();
        var fresh = new List<IdentityLink>();
        for (var i = 0; i < Pairs.Length; i++, code /= 3)
        {
            var link = new IdentityLink(Pairs[i].From, Pairs[i].To, i % 2 == 0 ? "identify" : "page", 100 - (i * 7));
            if (code % 3 == 1) { stored.Add(link); }
            else if (code % 3 == 2) { fresh.Add(link); }
        }

        return (stored, fresh);
    }
}
