using OmniTrackIQ.Attribution.Identity;

namespace OmniTrackIQ.Attribution.Tests.Runs;

/// <summary>The one definition of identity keys every store's SQL is generated from.</summary>
public sealed class IdentityKeysTests
{
    private static List<(string, string)> Links(Dictionary<string, string?> columns) =>
        [.. IdentityKeys.LinksOf(c => columns.GetValueOrDefault(c))];

    [Fact]
    public void An_event_links_its_anonymous_id_to_each_other_identifier_and_an_alias_previous_id_both_ways()
    {
        var links = Links(new() { ["anonymous_id"] = "x", ["user_id"] = "u", ["email_sha256"] = "e", ["phone_sha256"] = "p", ["previous_id"] = "old" });
        Assert.Equal([("a:x", "u:u"), ("a:x", "e:e"), ("a:x", "p:p"), ("a:x", "a:old"), ("a:x", "u:old")], links);
    }

    [Fact]
    public void Without_an_anonymous_id_the_user_id_is_the_key_and_is_not_linked_to_itself()
    {
        Assert.Equal([("u:u", "e:e")], Links(new() { ["anonymous_id"] = "", ["user_id"] = "u", ["email_sha256"] = "e" }));
    }

    [Fact]
    public void An_event_with_neither_anonymous_nor_user_id_shows_no_link()
    {
        Assert.Empty(Links(new() { ["email_sha256"] = "e", ["phone_sha256"] = "p" }));
    }

    [Theory]
    [InlineData("x", "u", "e", "a:x")]
    [InlineData("", "u", "e", "u:u")]
    [InlineData(null, null, "e", "e:e")]
    [InlineData("", null, "", null)]
    public void An_events_key_is_its_first_non_empty_identifier_in_the_defined_order(string? anonymousId, string? userId, string? email, string? key)
    {
        Assert.Equal(key, IdentityKeys.KeyOf(anonymousId, userId, email));
        Assert.Equal(["anonymous_id", "user_id", "email_sha256"], IdentityKeys.EventKeyOrder.Select(k => k.Column));
    }
}
