using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Attribution.Tests;

/// <summary>Identity stitching: union-find over prefixed keys, named by the smallest key, whatever the link order.</summary>
public sealed class PersonResolverTests
{
    [Fact]
    public void Linked_keys_are_one_person_named_by_the_smallest_key_in_any_link_order()
    {
        IdentityLink[] links = [new("a:z", "u:42", "identify", 5), new("a:b", "e:hash", "conversion", 9), new("a:b", "u:42", "identify", 3)];
        foreach (var order in new[] { links, links.Reverse().ToArray(), [links[1], links[0], links[2]] })
        {
            var people = PersonResolver.FromLinks(order, out _);
            Assert.Equal(["a:b", "a:b", "a:b", "a:b"], new[] { "a:z", "u:42", "a:b", "e:hash" }.Select(people.Find));
        }
    }

    [Fact]
    public void Unlinked_keys_are_their_own_person_and_key_of_prefers_anonymous_then_user_then_email()
    {
        var people = PersonResolver.FromLinks([new("a:1", "u:1", "alias", 0)], out _);
        Assert.Equal("a:2", people.Find(IdentityKeys.KeyOf("2", "1", null)!));
        Assert.Equal("a:1", people.Find(IdentityKeys.KeyOf(null, "1", "x")!));
        Assert.Equal("e:x", people.Find(IdentityKeys.KeyOf("", "", "x")!));
        Assert.Null(IdentityKeys.KeyOf(null, "", null));
        Assert.Null(IdentityKeys.KeyOf("", null, ""));
    }

    [Fact]
    public void The_lead_time_is_the_earliest_identify_of_the_whole_person_and_other_sources_do_not_count()
    {
        PersonResolver.FromLinks(
            [new("a:1", "u:7", "identify", 500), new("a:2", "u:7", "identify", 200), new("a:3", "u:7", "conversion", 100), new("a:9", "u:9", "page", 1)],
            out var lead);
        Assert.Equal(new Dictionary<string, long> { ["a:1"] = 200 }, lead);
    }

    [Fact]
    public void Keys_of_a_person_are_every_key_that_names_it()
    {
        var people = PersonResolver.FromLinks([new("a:1", "u:1", "identify", 0), new("a:2", "u:1", "identify", 0), new("a:3", "u:3", "identify", 0)], out _);
        Assert.Equal(["a:1", "a:2", "u:1"], people.KeysOf(new HashSet<string> { "a:1" }).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_chain_of_100000_links_resolves_without_overflowing_the_stack()
    {
        var links = Enumerable.Range(0, 100_000).Select(i => new IdentityLink($"u:{i + 1:D6}", $"u:{i:D6}", "alias", 0));
        var people = PersonResolver.FromLinks(links, out _);
        Assert.Equal("u:000000", people.Find("u:100000"));
    }
}
